// Data parallelism across processes and machines over PyTorch's c10d (see docs/distributed.md).
export { gatherResults, ownsBatch } from "./batch-shards.js";
export { freePort } from "./free-port.js";
export {
  CollectiveError,
  DEFAULT_BUCKET_BYTES,
  DEFAULT_TIMEOUT_MS,
  defaultBackend,
  ProcessGroup,
  type ProcessGroupOptions,
} from "./process-group.js";
export { rankDevice } from "./rank-device.js";
export { DEFAULT_MASTER_PORT, type Rendezvous, rendezvousFromEnv } from "./rendezvous-env.js";
export { firstSlurmHost } from "./slurm-nodelist.js";

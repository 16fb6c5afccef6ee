// `calign launch`: starts one node's ranks of a data-parallel job, as torchrun does, without Python.
import { fileURLToPath } from "node:url";
import { type OptionSchema, schemaHelp } from "../../config/index.js";
import { DEFAULT_MASTER_PORT, firstSlurmHost, freePort } from "../../distributed/index.js";
import { launchRanks } from "../../distributed/launch-ranks.js";
import { type Command, UsageError } from "../command.js";
import { parseOptions } from "../parse-options.js";
import { COMMANDS } from "./index.js";

export const LAUNCH_OPTIONS = {
  nproc_per_node: { type: "integer", default: 1, min: 1, help: "ranks on this node" },
  nnodes: { type: "integer", default: null, min: 1, help: "nodes in the job (none: SLURM_NNODES, else 1)" },
  node_rank: {
    type: "integer",
    default: null,
    min: 0,
    help: "this node's index, 0 to nnodes-1 (none: SLURM_NODEID, else 0)",
  },
  master_addr: {
    type: "string",
    default: null,
    help: "host of rank 0 (none: MASTER_ADDR, else the first host of SLURM_JOB_NODELIST, else 127.0.0.1)",
  },
  master_port: {
    type: "integer",
    default: null,
    min: 1,
    max: 65535,
    help: `port of the rendezvous store on that host (none: MASTER_PORT, else on one node a free port, as torchrun --standalone picks, and on several ${DEFAULT_MASTER_PORT})`,
  },
  exec: {
    type: "boolean",
    default: false,
    help: "run the words after -- as a program instead of a calign command (torchrun's --no-python)",
  },
} as const satisfies OptionSchema;

const HELP = `Usage: calign launch [options] -- <calign command> [its options]

Starts --nproc-per-node processes of a calign command on this node, each with the variables
torch.distributed and torchrun use (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR,
MASTER_PORT); rank 0 hosts the rendezvous store. Signals are forwarded to every rank; when one rank
fails, the others are stopped and launch exits 1 naming it. On several nodes, run it once per node
with the same --nnodes, --master-addr and --master-port and each node's --node-rank.

Options:
${schemaHelp(LAUNCH_OPTIONS)}

Example:
  calign launch --nproc-per-node 2 -- dist-check
`;

/** An integer from the environment (a launcher's variable), checked as the flag would be. */
function fromEnv(name: string, flag: string, value: number | null, fallback: number): number {
  if (value !== null) return value;
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${name}=${raw} (for --${flag}): expected an integer`);
  return n;
}

const BIN = fileURLToPath(new URL("../../../../bin/calign.js", import.meta.url));

export const launch: Command = {
  name: "launch",
  summary: "start the ranks of a data-parallel calign command on this node (like torchrun)",
  help: HELP,
  options: LAUNCH_OPTIONS,
  async run(argv) {
    const dash = argv.indexOf("--");
    if (dash < 0 || dash === argv.length - 1)
      throw new UsageError("give the command to launch after -- (see --help)");
    const { options: v } = parseOptions(LAUNCH_OPTIONS, argv.slice(0, dash));
    const env = process.env;
    const words = argv.slice(dash + 1);
    const nnodes = Math.max(1, fromEnv("SLURM_NNODES", "nnodes", v.nnodes, 1));
    const nodeRank = fromEnv("SLURM_NODEID", "node-rank", v.nodeRank, 0);
    if (nodeRank > nnodes - 1)
      throw new UsageError(`--node-rank must be an integer from 0 to ${nnodes - 1}, got '${nodeRank}'`);
    // One node and no port named: a free one, so two jobs on one machine do not meet on the same port.
    const named = v.masterPort !== null || (env.MASTER_PORT ?? "") !== "";
    const masterPort =
      nnodes === 1 && !named
        ? await freePort()
        : fromEnv("MASTER_PORT", "master-port", v.masterPort, DEFAULT_MASTER_PORT);
    if (masterPort < 1 || masterPort > 65535)
      throw new UsageError(`--master-port must be an integer from 1 to 65535, got '${masterPort}'`);
    const slurmHost = env.SLURM_JOB_NODELIST ? firstSlurmHost(env.SLURM_JOB_NODELIST) : undefined;
    const plan = {
      nprocPerNode: v.nprocPerNode,
      nnodes,
      nodeRank,
      masterAddr: v.masterAddr ?? (env.MASTER_ADDR || slurmHost || "127.0.0.1"),
      masterPort,
    };
    let command: string;
    let args: string[];
    if (v.exec) [command, args] = [words[0]!, words.slice(1)];
    else {
      const name = words[0] === "calign" ? words[1] : words[0];
      if (name === undefined || !COMMANDS.some((c) => c.name === name))
        throw new UsageError(
          `'${name ?? ""}' is not a calign command (use --exec to launch another program)`,
        );
      if (name === "launch") throw new UsageError("launch cannot launch itself");
      [command, args] = [process.execPath, [BIN, ...words.slice(words[0] === "calign" ? 1 : 0)]];
    }
    const outcome = await launchRanks({ ...plan, command, args }, (line) =>
      process.stderr.write(`calign launch: ${line}\n`),
    );
    if (outcome.failure !== undefined) process.stderr.write(`calign launch: failed: ${outcome.failure}\n`);
    return outcome.code;
  },
};

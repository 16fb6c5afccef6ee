// The device of this rank's model: what the user wrote (auto | cpu | cuda | cuda:N), with `auto` and a bare
// `cuda` on the GPU its local rank names, so the ranks of one node each take their own GPU (as a
// torch.distributed script's torch.cuda.set_device(LOCAL_RANK)); outside a launch, cuda:0. Only those two
// names read the launcher's variables.
import { resolveDevice } from "../engine/index.js";
import { type Rendezvous, rendezvousFromEnv } from "./rendezvous-env.js";

export function rankDevice(name: string, rendezvous?: Rendezvous | null): string {
  if (name !== "auto" && name !== "cuda") return resolveDevice(name);
  const r = rendezvous === undefined ? rendezvousFromEnv() : rendezvous;
  return resolveDevice(name, r?.localRank ?? 0);
}

// `calign launch`: starts one node's ranks of a data-parallel job, as torchrun does, without Python.
import { fileURLToPath } from "node:url";
import { DEFAULT_MASTER_PORT, firstSlurmHost } from "../../distributed/index.js";
import { launchRanks } from "../../distributed/launch-ranks.js";
import { type Command, UsageError } from "../command.js";
import { parseFlags } from "../parse-flags.js";
import { COMMANDS } from "./index.js";

const HELP = `Usage: calign launch [options] -- <calign command> [its options]

Starts --nproc-per-node processes of a calign command on this node, each with the variables
torch.distributed and torchrun use (RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR,
MASTER_PORT); rank 0 hosts the rendezvous store. Signals are forwarded to every rank; when one rank
fails, the others are stopped and launch exits 1 naming it. On several nodes, run it once per node
with the same --nnodes, --master-addr and --master-port and each node's --node-rank.

Options:
  --nproc-per-node N  ranks on this node (default 1)
  --nnodes M          nodes in the job (default: SLURM_NNODES, else 1)
  --node-rank R       this node's index, 0 to M-1 (default: SLURM_NODEID, else 0)
  --master-addr A     host of rank 0 (default: MASTER_ADDR, else the first host of
                      SLURM_JOB_NODELIST, else 127.0.0.1)
  --master-port P     port of the rendezvous store on that host (default: MASTER_PORT, else ${DEFAULT_MASTER_PORT})
  --exec              run the words after -- as a program instead of a calign command
                      (torchrun's --no-python)
  -h, --help          show this help

Example:
  calign launch --nproc-per-node 2 -- dist-check
`;

function intFlag(v: string | undefined, name: string, fallback: number, min: number, max = Infinity): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} must be an integer from ${min}${max < Infinity ? ` to ${max}` : " up"}, got '${v}'`,
    );
  return n;
}

const BIN = fileURLToPath(new URL("../../../../bin/calign.js", import.meta.url));

export const launch: Command = {
  name: "launch",
  summary: "start the ranks of a data-parallel calign command on this node (like torchrun)",
  help: HELP,
  async run(argv) {
    const dash = argv.indexOf("--");
    if (dash < 0 || dash === argv.length - 1)
      throw new UsageError("give the command to launch after -- (see --help)");
    const { values: v } = parseFlags(argv.slice(0, dash), {
      "nproc-per-node": { type: "string" },
      nnodes: { type: "string" },
      "node-rank": { type: "string" },
      "master-addr": { type: "string" },
      "master-port": { type: "string" },
      exec: { type: "boolean" },
    });
    const env = process.env;
    const words = argv.slice(dash + 1);
    const nnodes = intFlag(v.nnodes ?? env.SLURM_NNODES, "nnodes", 1, 1);
    const nodeRank = intFlag(v["node-rank"] ?? env.SLURM_NODEID, "node-rank", 0, 0, nnodes - 1);
    const slurmHost = env.SLURM_JOB_NODELIST ? firstSlurmHost(env.SLURM_JOB_NODELIST) : undefined;
    const plan = {
      nprocPerNode: intFlag(v["nproc-per-node"], "nproc-per-node", 1, 1),
      nnodes,
      nodeRank,
      masterAddr: v["master-addr"] ?? (env.MASTER_ADDR || slurmHost || "127.0.0.1"),
      masterPort: intFlag(v["master-port"] ?? env.MASTER_PORT, "master-port", DEFAULT_MASTER_PORT, 1, 65535),
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

// `calign dist-check`: joins the process group the launcher describes and checks it end to end, as
// nccl-tests does for a cluster: every rank all-reduces a buffer and gathers where each rank runs.
import { hostname } from "node:os";
import { type OptionSchema, schemaHelp } from "../../config/index.js";
import { ProcessGroup, rendezvousFromEnv } from "../../distributed/index.js";
import { full } from "../../engine/index.js";
import { type Command, UsageError } from "../command.js";
import { parseOptions } from "../parse-options.js";

export const DIST_CHECK_OPTIONS = {
  mib: { type: "number", default: 4, min: 0.000001, help: "size of the all-reduced buffer in MiB" },
  timeout: { type: "number", default: 60, min: 0.001, help: "rendezvous and collective timeout in seconds" },
  backend: {
    type: "string",
    default: null,
    choices: ["gloo", "nccl"],
    help: "process-group backend (none: nccl with CUDA when built in, else gloo)",
  },
  json: { type: "boolean", default: false, help: "print one JSON object instead of text" },
} as const satisfies OptionSchema;

const HELP = `Usage: calign launch --nproc-per-node N -- dist-check [options]
       torchrun --no-python --nproc-per-node N calign dist-check [options]

Run as every rank of a job (under calign launch, torchrun, srun or a PyTorchJob): joins the process
group from the launcher's variables, all-reduces a float32 buffer of ones and checks that every
element equals the world size, then gathers each rank's host and local rank. Rank 0 prints the
result; any rank exits 1 when a check fails or a peer is lost.

Options:
${schemaHelp(DIST_CHECK_OPTIONS)}
`;

export const distCheck: Command = {
  name: "dist-check",
  summary: "check a distributed launch: join, all-reduce, gather (run under calign launch or torchrun)",
  help: HELP,
  options: DIST_CHECK_OPTIONS,
  async run(argv) {
    const { options: v } = parseOptions(DIST_CHECK_OPTIONS, argv);
    const backend = v.backend;
    const elements = Math.round((v.mib * 1024 * 1024) / 4);
    // A launch of one rank is checked too (one GPU's NCCL), unlike fromEnv, which leaves it alone.
    const rendezvous = rendezvousFromEnv();
    if (rendezvous === undefined)
      throw new UsageError(
        "not launched as a rank: run it under calign launch, torchrun, srun or a PyTorchJob",
      );
    const pg = await ProcessGroup.init({
      ...rendezvous,
      timeoutMs: v.timeout * 1000,
      ...(backend === null ? {} : { backend }),
    });
    const device = pg.backend === "nccl" ? `cuda:${pg.localRank}` : "cpu";
    const buffer = full([elements], 1, { device });
    const start = performance.now();
    await pg.allReduce([buffer], "sum");
    const ms = performance.now() - start;
    const wrong = buffer.ne(pg.worldSize).sum().item();
    const ranks = await pg.allGatherJson({ host: hostname(), localRank: pg.localRank, wrong });
    await pg.destroy();
    const bad = ranks.map((r, i) => (r.wrong > 0 ? i : -1)).filter((i) => i >= 0);
    if (pg.isMain) {
      const result = {
        worldSize: pg.worldSize,
        backend: pg.backend,
        ranks,
        allReduceMs: ms,
        correct: bad.length === 0,
      };
      process.stdout.write(
        v.json
          ? `${JSON.stringify(result)}\n`
          : `${pg.worldSize} ranks joined (${pg.backend}): ${ranks.map((r, i) => `${i}@${r.host}/${r.localRank}`).join(" ")}\n` +
              `all-reduce of ${elements * 4} bytes: ${bad.length === 0 ? "correct" : `wrong on ranks ${bad.join(", ")}`}, ${ms.toFixed(1)} ms\n`,
      );
    }
    return bad.length === 0 ? 0 : 1;
  },
};

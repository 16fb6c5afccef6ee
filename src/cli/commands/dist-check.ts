// `calign dist-check`: joins the process group the launcher describes and checks it end to end, as
// nccl-tests does for a cluster: every rank all-reduces a buffer and gathers where each rank runs.
import { hostname } from "node:os";
import { ProcessGroup } from "../../distributed/index.js";
import { full } from "../../engine/index.js";
import { type Command, UsageError } from "../command.js";
import { parseFlags } from "../parse-flags.js";

const HELP = `Usage: calign launch --nproc-per-node N -- dist-check [options]
       torchrun --no-python --nproc-per-node N calign dist-check [options]

Run as every rank of a job (under calign launch, torchrun, srun or a PyTorchJob): joins the process
group from the launcher's variables, all-reduces a float32 buffer of ones and checks that every
element equals the world size, then gathers each rank's host and local rank. Rank 0 prints the
result; any rank exits 1 when a check fails or a peer is lost.

Options:
  --mib N        size of the all-reduced buffer in MiB (default 4)
  --timeout S    rendezvous and collective timeout in seconds (default 60)
  --backend B    gloo or nccl (default: nccl with CUDA when built in, else gloo)
  --json         print one JSON object instead of text
  -h, --help     show this help
`;

function positive(v: string | undefined, name: string, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a positive number, got '${v}'`);
  return n;
}

export const distCheck: Command = {
  name: "dist-check",
  summary: "check a distributed launch: join, all-reduce, gather (run under calign launch or torchrun)",
  help: HELP,
  async run(argv) {
    const { values: v } = parseFlags(argv, {
      mib: { type: "string" },
      timeout: { type: "string" },
      backend: { type: "string" },
      json: { type: "boolean" },
    });
    const backend = v.backend;
    if (backend !== undefined && backend !== "gloo" && backend !== "nccl")
      throw new UsageError(`--backend must be gloo or nccl, got '${backend}'`);
    const elements = Math.round((positive(v.mib, "mib", 4) * 1024 * 1024) / 4);
    const pg = await ProcessGroup.fromEnv({
      timeoutMs: positive(v.timeout, "timeout", 60) * 1000,
      ...(backend === undefined ? {} : { backend }),
    });
    if (pg === undefined)
      throw new UsageError(
        "not one of several ranks: run it under calign launch, torchrun, srun or a PyTorchJob",
      );
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

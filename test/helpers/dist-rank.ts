// One rank of a distributed test, started by test/helpers/dist-ranks.ts with the launcher's variables:
// runs a scenario over a Gloo process group and prints its result as one JSON line.
import { augmentGroups } from "../../src/align/augment.js";
import { ProcessGroup } from "../../src/distributed/index.js";
import { type Tensor, tensor } from "../../src/engine/index.js";
import { AUGMENT_GROUPS, AUGMENT_OPTIONS, recordingSource } from "./augment-case.js";
import { CASES, rankValue } from "./dist-cases.js";

function caseTensors(rank: number): Tensor[] {
  return CASES.map(({ dtype, shape }, k) => {
    const n = shape.reduce((a, b) => a * b, 1);
    return tensor(
      Array.from({ length: n }, (_, i) => rankValue(rank, k, i)),
      shape,
      { dtype },
    );
  });
}

const values = (ts: Tensor[]) => ts.map((t) => t.toArray());

async function main(): Promise<void> {
  const [scenario = "", timeoutMs = "30000", victim = "1"] = process.argv.slice(2);
  const pg = await ProcessGroup.fromEnv({ timeoutMs: Number(timeoutMs), backend: "gloo" });
  if (pg === undefined) throw new Error("dist-rank: not launched as a rank");
  const out: Record<string, unknown> = { rank: pg.rank, worldSize: pg.worldSize };
  if (scenario === "collectives") {
    // Sums in tiny buckets (many per dtype) and in one, a max, an average of the float cases.
    const sumSmall = caseTensors(pg.rank);
    await pg.allReduce(sumSmall, "sum", 64);
    const sumOne = caseTensors(pg.rank);
    await pg.allReduce(sumOne, "sum", 1 << 30);
    const max = caseTensors(pg.rank);
    await pg.allReduce(max, "max", 256);
    const avg = caseTensors(pg.rank).filter((t) => t.dtype.startsWith("float"));
    await pg.allReduce(avg, "avg", 128);
    const bcast = caseTensors(pg.rank);
    await pg.broadcastParameters(bcast, 1, 100);
    const bytes = await pg.allGatherBytes(
      new Uint8Array(pg.rank * 5).map((_, i) => (pg.rank * 31 + i) % 256),
    );
    const json = await pg.allGatherJson({ rank: pg.rank, text: "é".repeat(pg.rank + 1) });
    await pg.barrier();
    Object.assign(out, {
      sumSmall: values(sumSmall),
      sumOne: values(sumOne),
      max: values(max),
      avg: values(avg),
      bcast: values(bcast),
      bytes: bytes.map((b) => Array.from(b)),
      json,
    });
  } else if (scenario === "lose") {
    // The victim leaves (killed, or hung without calling); the others' next collective must fail in time.
    await pg.barrier();
    if (pg.rank === Number(victim)) {
      if (process.argv[5] === "hang") await new Promise((r) => setTimeout(r, Number(timeoutMs) * 2));
      process.kill(process.pid, "SIGKILL");
    }
    const t = tensor([1, 2, 3]);
    try {
      await pg.allReduce([t], "sum");
      out.error = null;
    } catch (err) {
      out.error = (err as Error).message;
    }
    try {
      await pg.barrier();
    } catch (err) {
      out.after = (err as Error).message;
    }
  } else if (scenario === "augment") {
    // The ranks share the distinct instructions; each reports what it asked and what it ended with.
    const asked: string[] = [];
    const result = await augmentGroups(AUGMENT_GROUPS, recordingSource(asked), AUGMENT_OPTIONS, pg);
    Object.assign(out, { asked, result });
  } else throw new Error(`dist-rank: unknown scenario '${scenario}'`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
  await pg.destroy();
}

await main();

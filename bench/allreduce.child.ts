// One rank of `npm run bench:distributed` (calign side): all-reduces the benchmark's buckets over Gloo,
// issuing every bucket before waiting as DDP does, and prints the time of each round as JSON.
import { ProcessGroup } from "../src/distributed/index.js";
import { ones } from "../src/engine/index.js";

const [buckets = "4", bucketMb = "25", warmup = "2", timed = "8"] = process.argv.slice(2);
const bucketBytes = Number(bucketMb) * 1024 * 1024;
const pg = await ProcessGroup.fromEnv({ timeoutMs: 120_000, backend: "gloo" });
if (pg === undefined) throw new Error("allreduce.child: not launched as a rank");
const tensors = Array.from({ length: Number(buckets) }, () => ones([bucketBytes / 4]));
const ms: number[] = [];
for (let i = 0; i < Number(warmup) + Number(timed); i++) {
  await pg.barrier();
  const start = performance.now();
  await pg.allReduce(tensors, "sum", bucketBytes);
  if (i >= Number(warmup)) ms.push(performance.now() - start);
}
await pg.destroy();
process.stdout.write(`${JSON.stringify({ ms })}\n`);

// `npm run bench:distributed`: all-reduce bandwidth of calign's process group versus PyTorch's
// dist.all_reduce, both over Gloo with 2 ranks on this machine, on the same buckets (DDP's 25 MB), in
// alternating rounds within one invocation. Prints each one's median time and bus bandwidth and the ratio.
// Then SFT throughput of `calign sft` on the ~10M model, 1 process against 2 ranks, and 2 ranks in bf16 (sft-ranks.ts).
import { spawn } from "node:child_process";
import { freePort } from "../src/distributed/free-port.js";
import { PYTHON } from "../test/helpers/torch-python.js";
import { engineEnv, median, torchEnv } from "./bench-util.js";
import { SETTINGS, sftRanks } from "./sft-ranks.js";

const WORLD = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BUCKETS = Number(process.env.BENCH_BUCKETS ?? 4);
const BUCKET_MB = 25;
const args = [String(BUCKETS), String(BUCKET_MB), "2", String(process.env.BENCH_STEPS ?? 8)];

function rank(cmd: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number[]> {
  const child = spawn(cmd, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  return new Promise((resolve, reject) =>
    child.once("close", (code) =>
      code === 0
        ? resolve((JSON.parse(out.trim().split("\n").pop() as string) as { ms: number[] }).ms)
        : reject(new Error(`${cmd} ${argv.join(" ")} failed:\n${err}`)),
    ),
  );
}

async function job(cmd: string, argv: string[], base: NodeJS.ProcessEnv): Promise<number[]> {
  const port = await freePort();
  const ranks = await Promise.all(
    Array.from({ length: WORLD }, (_, r) =>
      rank(cmd, argv, {
        ...base,
        RANK: String(r),
        LOCAL_RANK: String(r),
        WORLD_SIZE: String(WORLD),
        MASTER_ADDR: "127.0.0.1",
        MASTER_PORT: String(port),
      }),
    ),
  );
  return ranks[0]!; // a round ends on every rank at once; rank 0's clock stands for it
}

const child = new URL("./allreduce.child.js", import.meta.url).pathname;
const py = new URL("../../bench/allreduce_torch.py", import.meta.url).pathname;
const calign: number[] = [];
const torch: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  calign.push(...(await job(process.execPath, [child, ...args], engineEnv() ?? process.env)));
  torch.push(...(await job(PYTHON, [py, ...args], torchEnv)));
  process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
}
const bytes = BUCKETS * BUCKET_MB * 1024 * 1024;
// Bus bandwidth as nccl-tests reports it for all-reduce: 2 (n-1)/n of the buffer crosses each link.
const busGBs = (ms: number) => ((bytes * 2 * (WORLD - 1)) / WORLD / (ms / 1000) / 1e9).toFixed(2);
const c = median(calign);
const t = median(torch);
console.log(
  `all-reduce (sum) of ${BUCKETS} float32 buckets of ${BUCKET_MB} MB over Gloo, ${WORLD} ranks on this machine;`,
);
console.log(`median of ${calign.length} rounds each (every bucket issued before the first wait):`);
console.log(`  calign  ${c.toFixed(1).padStart(8)} ms   bus bandwidth ${busGBs(c)} GB/s`);
console.log(`  PyTorch ${t.toFixed(1).padStart(8)} ms   bus bandwidth ${busGBs(t)} GB/s`);
console.log(`  bandwidth ratio calign/PyTorch = ${(t / c).toFixed(3)}   (target >= 0.9)`);

const sft = await sftRanks();
console.log(
  `SFT on the ${sft.parameters} Llama, global batch 8 rows (${sft.tokensPerStep} tokens), median of rounds:`,
);
for (const setting of SETTINGS) {
  const ms = sft.perStep[setting] * 1000;
  const perSecond = sft.tokensPerStep / sft.perStep[setting];
  console.log(
    `  ${setting.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms/step   ${perSecond.toFixed(0)} tokens/s`,
  );
}
console.log(
  `  speed-up of 2 ranks over 1 process = ${(sft.perStep["1 process"] / sft.perStep["2 ranks"]).toFixed(2)}`,
);
console.log(
  `  speed-up of bf16 over float32 (2 ranks) = ${(sft.perStep["2 ranks"] / sft.perStep["2 ranks, bf16"]).toFixed(2)}`,
);

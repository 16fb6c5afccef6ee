// `npm run bench:engine`: one training step of the GPT-2-style stack of shared notes/engine.md, calign
// versus PyTorch, in alternating processes within one invocation. Prints the median step time of each,
// their ratio, and each one's peak RSS.
import { PYTHON } from "../test/helpers/torch-python.js";
import { engineEnv, median, runJson, torchEnv } from "./bench-util.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 2;
const TIMED = Number(process.env.BENCH_STEPS ?? 6);

interface Sample {
  ms: number[];
  peakRssMb: number;
  loss: number;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runJson<Sample>(cmd, args, env);

const child = new URL("./engine-step.child.js", import.meta.url).pathname;
const py = new URL("../../bench/engine_step.py", import.meta.url).pathname;
const calign: Sample[] = [];
const torch: Sample[] = [];
for (let r = 0; r < ROUNDS; r++) {
  calign.push(run(process.execPath, [child, String(WARMUP), String(TIMED)], engineEnv() ?? process.env));
  torch.push(run(PYTHON, [py, String(WARMUP), String(TIMED)], torchEnv));
  process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
}
const cMs = median(calign.flatMap((s) => s.ms));
const tMs = median(torch.flatMap((s) => s.ms));
const cRss = Math.max(...calign.map((s) => s.peakRssMb));
const tRss = Math.max(...torch.map((s) => s.peakRssMb));
console.log("GPT-2-style stack (4 layers, d 256, 4 heads, MLP 1024, seq 128, batch 8, vocab 8000, tied):");
console.log("one training step = forward + backward + AdamW; median over", ROUNDS * TIMED, "steps each");
console.log(`  calign  ${cMs.toFixed(1).padStart(7)} ms/step   peak RSS ${cRss.toFixed(0)} MB`);
console.log(`  PyTorch ${tMs.toFixed(1).padStart(7)} ms/step   peak RSS ${tRss.toFixed(0)} MB`);
console.log(`  time ratio calign/PyTorch = ${(cMs / tMs).toFixed(3)}   (target <= 1.05)`);
console.log(`  peak RSS ratio calign/PyTorch = ${(cRss / tRss).toFixed(3)}   (target <= 1.3)`);

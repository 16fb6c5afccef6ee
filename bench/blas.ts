// `npm run bench:blas`: float32 `linear` at the demo model's MLP shape in PyTorch 1.13 on one thread
// (bench/linear_blas.py), through OpenBLAS with the kernel OpenBLAS picks by itself and with the one
// calign asks for (scripts/engine-env.mjs), against oneDNN and bfloat16 on the same tensors, in
// alternating processes. Prints ms per call (medians over rounds) and each path's speed as a multiple of
// OpenBLAS's own choice. On a CPU model newer than OpenBLAS's table its own choice is the slowest kernel.
import { PYTHON } from "../test/helpers/torch-python.js";
import { median, runJson, withBlasCore } from "./bench-util.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Sample {
  core: string;
  rows: { m: number; openblas: number; onednn: number; bf16: number }[];
}

const py = new URL("../../bench/linear_blas.py", import.meta.url).pathname;
const own: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1" };
delete own.OPENBLAS_CORETYPE;
const chosen = withBlasCore(own);
const samples: { own: Sample[]; chosen: Sample[] } = { own: [], chosen: [] };
for (let r = 0; r < ROUNDS; r++) {
  samples.own.push(runJson<Sample>(PYTHON, [py], own));
  samples.chosen.push(runJson<Sample>(PYTHON, [py], chosen));
}
const first = (s: Sample[]) => s[0] as Sample;
const ms = (s: Sample[], i: number, path: "openblas" | "onednn" | "bf16") =>
  median(s.map((x) => (x.rows[i] as Sample["rows"][number])[path]));
console.log(
  `float32 linear, M x 256 by 704 x 256, one thread, median of ${ROUNDS} processes each; ` +
    `OpenBLAS's own kernel: ${first(samples.own).core || "(not OpenBLAS)"}, ` +
    `calign's: ${first(samples.chosen).core || "(not OpenBLAS)"}`,
);
console.log("M      own_ms  calign_ms  onednn_ms  bf16_ms   calign_x  onednn_x  bf16_x");
first(samples.own).rows.forEach(({ m }, i) => {
  const base = ms(samples.own, i, "openblas");
  const cells = [
    ms(samples.chosen, i, "openblas"),
    ms(samples.chosen, i, "onednn"),
    ms(samples.chosen, i, "bf16"),
  ];
  const times = [base, ...cells].map((t) => t.toFixed(3).padStart(9)).join("  ");
  const ratios = cells.map((t) => (base / t).toFixed(2).padStart(8)).join("  ");
  console.log(`${String(m).padEnd(5)} ${times}  ${ratios}`);
});

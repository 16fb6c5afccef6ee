// `npm run bench:train`: training-step throughput (tokens/s) of SFT and DPO (sigmoid + SFT term) steps —
// forward, backward, clipping, AdamW — for a ~10M and a ~100M parameter Llama (random weights), calign
// against PyTorch doing the same computation on the same weights, in alternating processes. Prints
// medians, ratios and peak RSS.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomModel, saveHfDir } from "../src/models/index.js";
import { PYTHON } from "../test/helpers/torch-python.js";
import { engineEnv, median, runJson, torchEnv } from "./bench-util.js";
import { SIZES, type Size } from "./generate-models.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = 1;
// A 10M step takes ~0.2 s, a 100M step ~1.5 s: more timed steps for the small model steady its median.
const TIMED: Record<Size, number> = { "10M": 12, "100M": 3 };
const timed = (size: Size) => Number(process.env.BENCH_STEPS ?? TIMED[size]);
const ROWS = 4;
const PROMPT = 64;
const COMPLETION = 64;
const MODES = ["sft", "dpo", "sft-lora", "dpo-lora"] as const;

interface Sample {
  ms: number[];
  result: number;
  peakRssMb: number;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runJson<Sample>(cmd, args, env, 3);

function work(vocab: number, mode: string) {
  const ids = Array.from({ length: ROWS }, (_, r) =>
    Array.from({ length: PROMPT + COMPLETION }, (_, i) => 3 + ((r * 131 + i * 17) % (vocab - 3))),
  );
  const lora = mode.endsWith("lora") ? { lora: { r: 8, alpha: 16 } } : {};
  return { ids, promptLen: PROMPT, refChosen: [-300, -310], refRejected: [-305, -290], ...lora };
}

const child = new URL("./train.child.js", import.meta.url).pathname;
const py = new URL("../../bench/train_torch.py", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "calign-bench-train-"));
try {
  for (const size of Object.keys(SIZES) as Size[]) {
    const m = randomModel(SIZES[size], 0);
    saveHfDir(m, join(dir, size));
    m.dispose();
  }
  const samples = new Map<string, Sample[]>();
  const add = (key: string, s: Sample) => samples.set(key, [...(samples.get(key) ?? []), s]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const size of Object.keys(SIZES) as Size[]) {
      for (const mode of MODES) {
        const args = [
          join(dir, size),
          mode,
          String(WARMUP),
          String(timed(size)),
          JSON.stringify(work(SIZES[size].vocab_size, mode)),
        ];
        add(`${size} ${mode} calign`, run(process.execPath, [child, ...args], engineEnv() ?? process.env));
        add(`${size} ${mode} torch`, run(PYTHON, [py, ...args], torchEnv));
      }
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
  }
  const tokens = ROWS * (PROMPT + COMPLETION);
  console.log(
    `training step = forward + backward + clip + AdamW on ${ROWS} rows x ${PROMPT}+${COMPLETION} tokens;`,
  );
  const steps = (Object.keys(SIZES) as Size[]).map((s) => `${ROUNDS * timed(s)} (${s})`).join(", ");
  console.log(`median over ${steps} steps each; float32; *-lora: LoRA r 8 on q/k/v/o, base frozen`);
  console.log("model  step   calign tok/s   PyTorch tok/s   ratio   calign RSS   PyTorch RSS   RSS ratio");
  for (const size of Object.keys(SIZES) as Size[]) {
    for (const mode of MODES) {
      const c = samples.get(`${size} ${mode} calign`) ?? [];
      const t = samples.get(`${size} ${mode} torch`) ?? [];
      const cTok = tokens / (median(c.flatMap((s) => s.ms)) / 1000);
      const tTok = tokens / (median(t.flatMap((s) => s.ms)) / 1000);
      const cRss = Math.max(...c.map((s) => s.peakRssMb));
      const tRss = Math.max(...t.map((s) => s.peakRssMb));
      console.log(
        `${size.padEnd(6)} ${mode.padEnd(5)} ${cTok.toFixed(0).padStart(13)} ${tTok.toFixed(0).padStart(15)} ${(cTok / tTok).toFixed(3).padStart(7)} ${cRss.toFixed(0).padStart(9)} MB ${tRss.toFixed(0).padStart(10)} MB ${(cRss / tRss).toFixed(3).padStart(11)}`,
      );
    }
  }
  console.log("targets: throughput ratio >= 0.95, RSS ratio <= 1.3");
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// `npm run bench:train`: training-step throughput (tokens/s) of SFT and DPO (sigmoid + SFT term) steps —
// forward, backward, clipping, AdamW — for a ~10M and a ~100M parameter Llama (random weights), calign
// against PyTorch doing the same computation on the same weights, in alternating processes. Prints
// medians, ratios and peak RSS. A third model is LM-head bound: 2 small layers under Llama-3's 128k
// vocabulary at the 8B GPU bench's 8 × (64 + 960) tokens, LoRA only, where the (batch × completion ×
// vocabulary) float32 log-softmax is 3.9 GB: PyTorch keeps it for backward, calign does not.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomModel, saveHfDir } from "../src/models/index.js";
import { PYTHON } from "../test/helpers/torch-python.js";
import { engineEnv, median, runJson, torchEnv } from "./bench-util.js";
import { llama, SIZES } from "./generate-models.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const WARMUP = 1;
const MODES = ["sft", "dpo", "sft-lora", "dpo-lora"] as const;

interface Workload {
  config: Record<string, unknown> & { vocab_size: number };
  rows: number;
  prompt: number;
  completion: number;
  modes: readonly (typeof MODES)[number][];
  /** Timed steps per process: a 10M step takes ~0.2 s, a 100M step ~1.5 s, a 128k-vocabulary one ~10 s. */
  timed: number;
}

const WORKLOADS: Record<string, Workload> = {
  "10M": { config: SIZES["10M"], rows: 4, prompt: 64, completion: 64, modes: MODES, timed: 12 },
  "100M": { config: SIZES["100M"], rows: 4, prompt: 64, completion: 64, modes: MODES, timed: 3 },
  "128k-V": {
    config: llama(256, 2, 4, 4, 688, 128_256, false),
    rows: 8,
    prompt: 64,
    completion: 960,
    modes: ["sft-lora", "dpo-lora"],
    timed: 1,
  },
};
const timed = (w: Workload) => Number(process.env.BENCH_STEPS ?? w.timed);

interface Sample {
  ms: number[];
  result: number;
  peakRssMb: number;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runJson<Sample>(cmd, args, env, 3);

function work(w: Workload, mode: string) {
  const { rows, prompt, completion, config } = w;
  const vocab = config.vocab_size;
  const ids = Array.from({ length: rows }, (_, r) =>
    Array.from({ length: prompt + completion }, (_, i) => 3 + ((r * 131 + i * 17) % (vocab - 3))),
  );
  const pairs = rows / 2;
  const lora = mode.endsWith("lora") ? { lora: { r: 8, alpha: 16 } } : {};
  const ref = (base: number) => Array.from({ length: pairs }, (_, i) => base - 10 * i);
  return { ids, promptLen: prompt, refChosen: ref(-300), refRejected: ref(-305), ...lora };
}

const child = new URL("./train.child.js", import.meta.url).pathname;
const py = new URL("../../bench/train_torch.py", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "calign-bench-train-"));
try {
  for (const [name, w] of Object.entries(WORKLOADS)) {
    const m = randomModel(w.config, 0);
    saveHfDir(m, join(dir, name));
    m.dispose();
  }
  const samples = new Map<string, Sample[]>();
  const add = (key: string, s: Sample) => samples.set(key, [...(samples.get(key) ?? []), s]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, w] of Object.entries(WORKLOADS)) {
      for (const mode of w.modes) {
        const args = [join(dir, name), mode, String(WARMUP), String(timed(w)), JSON.stringify(work(w, mode))];
        add(`${name} ${mode} calign`, run(process.execPath, [child, ...args], engineEnv() ?? process.env));
        add(`${name} ${mode} torch`, run(PYTHON, [py, ...args], torchEnv));
      }
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
  }
  console.log("training step = forward + backward + clip + AdamW on rows x (prompt + completion) tokens;");
  console.log("float32; *-lora: LoRA r 8 on q/k/v/o, base frozen; medians over all rounds' timed steps");
  console.log(
    "model   tokens    step      steps  calign tok/s   PyTorch tok/s   ratio   calign RSS   PyTorch RSS   RSS ratio",
  );
  for (const [name, w] of Object.entries(WORKLOADS)) {
    const tokens = w.rows * (w.prompt + w.completion);
    for (const mode of w.modes) {
      const c = samples.get(`${name} ${mode} calign`) ?? [];
      const t = samples.get(`${name} ${mode} torch`) ?? [];
      const cTok = tokens / (median(c.flatMap((s) => s.ms)) / 1000);
      const tTok = tokens / (median(t.flatMap((s) => s.ms)) / 1000);
      const cRss = Math.max(...c.map((s) => s.peakRssMb));
      const tRss = Math.max(...t.map((s) => s.peakRssMb));
      const shape = `${w.rows}x${w.prompt}+${w.completion}`;
      console.log(
        `${name.padEnd(7)} ${shape.padEnd(9)} ${mode.padEnd(9)} ${String(ROUNDS * timed(w)).padStart(5)} ${cTok.toFixed(0).padStart(13)} ${tTok.toFixed(0).padStart(15)} ${(cTok / tTok).toFixed(3).padStart(7)} ${cRss.toFixed(0).padStart(9)} MB ${tRss.toFixed(0).padStart(10)} MB ${(cRss / tRss).toFixed(3).padStart(11)}`,
      );
    }
  }
  console.log("targets: throughput ratio >= 0.95, RSS ratio <= 1.3");
} finally {
  rmSync(dir, { recursive: true, force: true });
}

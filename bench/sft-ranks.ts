// The SFT half of `npm run bench:distributed`: `calign sft` on the ~10M Llama of bench:train (a byte
// tokenizer in front), 1 process against `calign launch` with 2 ranks, the same global batch. Each
// setting runs for a short and a long number of steps: the difference of the wall times is the time of
// the extra steps alone (start-up, data and model loading cancel out). Settings alternate over rounds;
// the median per-step time of each stands.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../src/distributed/free-port.js";
import { tinyModelDir } from "../test/helpers/tiny-model.js";
import { engineEnv, median } from "./bench-util.js";
import { SIZES } from "./generate-models.js";

const CLI = new URL("../../bin/calign.js", import.meta.url).pathname;
const GLOBAL_BATCH = 8;
const ROWS = 64;
/** Bytes of prompt and of completion per row: one token per byte. */
const HALF = 64;
const SHORT = Number(process.env.BENCH_SFT_SHORT ?? 2);
const LONG = Number(process.env.BENCH_SFT_LONG ?? 26);
const ROUNDS = Number(process.env.BENCH_SFT_ROUNDS ?? 3);

/**
 * The settings compared: one process with BLAS on every core (the default), one process with one BLAS
 * thread, 2 ranks, which launch gives cores / 2 threads each, and 2 ranks in bf16 mixed precision
 * (`--bf16 true`: matmuls in bfloat16, faster only where the CPU computes bf16 natively).
 */
export const SETTINGS = ["1 process", "1 process, 1 thread", "2 ranks", "2 ranks, bf16"] as const;
export type Setting = (typeof SETTINGS)[number];

export interface SftRanksResult {
  parameters: string;
  tokensPerStep: number;
  /** Median seconds per optimizer step, by setting. */
  perStep: Record<Setting, number>;
}

async function wallSeconds(setting: Setting, args: string[]): Promise<number> {
  const ranks = setting.startsWith("2 ranks");
  const launcher = ranks
    ? ["launch", "--nproc-per-node", "2", "--master-port", String(await freePort()), "--"]
    : [];
  const bf16 = setting === "2 ranks, bf16" ? ["--bf16", "true"] : [];
  const env = engineEnv() ?? process.env;
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...launcher, ...args, ...bf16], {
    encoding: "utf8",
    env: setting === "1 process, 1 thread" ? { ...env, OMP_NUM_THREADS: "1" } : env,
  });
  if (r.status !== 0)
    throw new Error(`calign ${[...launcher, ...args, ...bf16].join(" ")} failed:\n${r.stderr}`);
  return (performance.now() - start) / 1000;
}

export async function sftRanks(): Promise<SftRanksResult> {
  const size = SIZES["10M"];
  // The byte tokenizer's ids (< 259) lie inside the 8000-token vocabulary; its special ids are kept.
  const { dir, model } = tinyModelDir(0, {
    ...size,
    bos_token_id: 256,
    eos_token_id: 257,
    pad_token_id: 258,
  });
  let parameters = 0;
  for (const p of model.params.values()) parameters += p.numel;
  model.dispose();
  try {
    const data = join(dir, "data.jsonl");
    const text = (r: number, salt: number) =>
      Array.from({ length: HALF }, (_, i) => String.fromCharCode(97 + ((r * 7 + i * salt) % 26))).join("");
    writeFileSync(
      data,
      Array.from(
        { length: ROWS },
        (_, r) => `${JSON.stringify({ prompt: text(r, 3), completion: text(r, 5) })}\n`,
      ).join(""),
    );
    const args = (out: string, steps: number) => [
      "sft",
      ...["--model", dir, "--data", data, "--output", join(dir, out), "--max-steps", String(steps)],
      ...["--batch-size", String(GLOBAL_BATCH), "--save-steps", "0", "--group-by-length", "false"],
    ];
    const samples = new Map<Setting, number[]>(SETTINGS.map((s) => [s, []]));
    for (let round = 0; round < ROUNDS; round++)
      for (const [k, setting] of SETTINGS.entries()) {
        const short = await wallSeconds(setting, args(`s${k}-${round}-short`, SHORT));
        const long = await wallSeconds(setting, args(`s${k}-${round}-long`, LONG));
        samples.get(setting)?.push((long - short) / (LONG - SHORT));
      }
    const perStep = Object.fromEntries(SETTINGS.map((s) => [s, median(samples.get(s) ?? [])])) as Record<
      Setting,
      number
    >;
    // BOS + prompt + completion + EOS per row.
    return {
      parameters: `${(parameters / 1e6).toFixed(1)} M`,
      tokensPerStep: GLOBAL_BATCH * (2 * HALF + 2),
      perStep,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

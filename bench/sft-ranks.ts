// The SFT half of `npm run bench:distributed`: `calign sft` on the ~10M Llama of bench:train (a byte
// tokenizer in front), 1 process against `calign launch` with 2 ranks, the same global batch. Each
// setting runs for a short and a long number of steps: the difference of the wall times is the time of
// the extra steps alone (start-up, data and model loading cancel out). Settings alternate over rounds;
// the median per-step time of each stands.
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../test/helpers/free-port.js";
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

export interface SftRanksResult {
  parameters: string;
  tokensPerStep: number;
  /** Seconds per optimizer step and tokens per second, by number of ranks. */
  perStep: Record<1 | 2, number>;
  tokensPerSecond: Record<1 | 2, number>;
}

async function wallSeconds(ranks: 1 | 2, args: string[]): Promise<number> {
  const launcher =
    ranks === 1 ? [] : ["launch", "--nproc-per-node", "2", "--master-port", String(await freePort()), "--"];
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...launcher, ...args], {
    encoding: "utf8",
    env: engineEnv() ?? process.env,
  });
  if (r.status !== 0) throw new Error(`calign ${[...launcher, ...args].join(" ")} failed:\n${r.stderr}`);
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
      ...["--model", dir, "--data", data, "--output", join(dir, out), "--max_steps", String(steps)],
      ...["--batch_size", String(GLOBAL_BATCH), "--save_steps", "0", "--group_by_length", "false"],
    ];
    const samples: Record<1 | 2, number[]> = { 1: [], 2: [] };
    for (let round = 0; round < ROUNDS; round++)
      for (const ranks of [1, 2] as const) {
        const short = await wallSeconds(ranks, args(`r${ranks}-${round}-short`, SHORT));
        const long = await wallSeconds(ranks, args(`r${ranks}-${round}-long`, LONG));
        samples[ranks].push((long - short) / (LONG - SHORT));
      }
    const perStep = { 1: median(samples[1]), 2: median(samples[2]) };
    // BOS + prompt + completion + EOS per row.
    const tokensPerStep = GLOBAL_BATCH * (2 * HALF + 2);
    return {
      parameters: `${(parameters / 1e6).toFixed(1)} M`,
      tokensPerStep,
      perStep,
      tokensPerSecond: { 1: tokensPerStep / perStep[1], 2: tokensPerStep / perStep[2] },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

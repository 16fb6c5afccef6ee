// `npm run bench:generate`: tokens/s of KV-cached greedy generation (batch 1 and batch 32) and of
// batched teacher-forced scoring for a ~10M and a ~100M parameter Llama (random weights), calign
// against PyTorch on the same weights and, for batch-1 generation, llama.cpp (node-llama-cpp) on the
// same weights as GGUF F32. Engines run in alternating processes; medians over all timed repeats;
// ratios printed, each with the range of its per-round ratios (one round's engines run back to back,
// so a round's ratio is less exposed to the machine's slow and fast spells than the medians are).
// BENCH_DEVICE (default cpu) runs calign and PyTorch on another device, weights in bfloat16
// (bench/gpu/run.sh: cuda:0); llama.cpp runs only on the CPU and only where node-llama-cpp is
// installed (the GPU kit carries no dev packages). BENCH_SIZES (comma-separated, default all) picks sizes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PYTHON } from "../test/helpers/torch-python.js";
import { engineEnv, median, runJson, torchEnv } from "./bench-util.js";
import {
  BATCH,
  batchPrompts,
  GENERATE,
  SCORE,
  SIZES,
  type Size,
  scoreIds,
  writeModels,
} from "./generate-models.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 1;
const TIMED = Number(process.env.BENCH_STEPS ?? 3);
// A 10M scoring batch takes ~0.14 s: more repeats steady its median.
const SCORE_TIMED: Record<Size, number> = { "10M": 10, "100M": 3 };
const DEVICE = process.env.BENCH_DEVICE ?? "cpu";
const DTYPE = DEVICE === "cpu" ? "float32" : "bfloat16";
const sizes = (process.env.BENCH_SIZES?.split(",") ?? Object.keys(SIZES)) as Size[];
for (const s of sizes)
  if (!(s in SIZES)) throw new Error(`BENCH_SIZES: ${s} is not one of ${Object.keys(SIZES).join(", ")}`);
const withLlamaCpp = DEVICE === "cpu" && llamaCppInstalled();

function llamaCppInstalled(): boolean {
  try {
    import.meta.resolve("node-llama-cpp");
    return true;
  } catch {
    return false;
  }
}

interface Sample {
  ms: number[];
  result: unknown;
}

const run = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) => runJson<Sample>(cmd, args, env);

const here = (f: string) => new URL(f, import.meta.url).pathname;
const py = new URL("../../bench/generate_torch.py", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "calign-bench-generate-"));
try {
  process.stderr.write(`writing random models (HF folder${withLlamaCpp ? " + GGUF F32" : ""})...\n`);
  writeModels(dir, sizes, withLlamaCpp);
  const times: Record<string, number[]> = {};
  /** Each round's median time, per key. */
  const perRound: Record<string, number[]> = {};
  const results: Record<string, unknown> = {};
  const record = (key: string, s: Sample) => {
    times[key] = [...(times[key] ?? []), ...s.ms];
    perRound[key] = [...(perRound[key] ?? []), median(s.ms)];
    results[key] = s.result;
  };
  for (let r = 0; r < ROUNDS; r++) {
    for (const size of sizes) {
      const folder = join(dir, size);
      const args = [String(WARMUP), String(TIMED)];
      const scoreArgs = [String(WARMUP), process.env.BENCH_STEPS ?? String(SCORE_TIMED[size])];
      const env = engineEnv() ?? process.env;
      const scoreWork = JSON.stringify({ ids: scoreIds(SIZES[size].vocab_size), promptLen: SCORE.promptLen });
      record(
        `${size} generate calign`,
        run(process.execPath, [here("./generate.child.js"), folder, "generate", ...args, DEVICE, DTYPE], env),
      );
      record(
        `${size} generate torch`,
        run(PYTHON, [py, folder, "generate", ...args, JSON.stringify(GENERATE), DEVICE], torchEnv),
      );
      if (withLlamaCpp)
        record(
          `${size} generate llama.cpp`,
          run(process.execPath, [here("./generate-llama-cpp.child.js"), `${folder}.gguf`, ...args]),
        );
      const batchWork = JSON.stringify({ prompts: batchPrompts(SIZES[size].vocab_size), new: BATCH.new });
      record(
        `${size} batch calign`,
        run(process.execPath, [here("./generate.child.js"), folder, "batch", ...args, DEVICE, DTYPE], env),
      );
      record(`${size} batch torch`, run(PYTHON, [py, folder, "batch", ...args, batchWork, DEVICE], torchEnv));
      record(
        `${size} score calign`,
        run(
          process.execPath,
          [here("./generate.child.js"), folder, "score", ...scoreArgs, DEVICE, DTYPE],
          env,
        ),
      );
      record(
        `${size} score torch`,
        run(PYTHON, [py, folder, "score", ...scoreArgs, scoreWork, DEVICE], torchEnv),
      );
    }
    process.stderr.write(`round ${r + 1}/${ROUNDS} done\n`);
  }
  const genTokens = GENERATE.new;
  const batchTokens = BATCH.batch * BATCH.new;
  const scoreTokens = SCORE.batch * (SCORE.promptLen + SCORE.completionLen);
  const rate = (key: string, tokens: number) => (tokens * 1000) / median(times[key]!);
  /** calign's speed over another engine's, overall and as the range of the rounds' ratios. */
  const ratio = (calign: string, other: string) => {
    const overall = median(times[other]!) / median(times[calign]!);
    const rounds = perRound[calign]!.map((t, r) => perRound[other]![r]! / t);
    const range =
      ROUNDS > 1 ? ` (rounds ${Math.min(...rounds).toFixed(2)}–${Math.max(...rounds).toFixed(2)})` : "";
    return `${overall.toFixed(3)}${range}`;
  };
  console.log(
    `Llama architecture, random weights, ${DTYPE} on ${DEVICE}; medians over ${ROUNDS} rounds of timed repeats (generation ${TIMED}, scoring ${Object.entries(
      SCORE_TIMED,
    )
      .map(([s, n]) => `${n} for ${s}`)
      .join(", ")} per round).`,
  );
  console.log(
    `generation: prompt ${GENERATE.prompt.length} tokens, ${genTokens} new tokens greedy with KV cache, batch 1`,
  );
  console.log(
    `batched generation: ${BATCH.batch} prompts of ${BATCH.promptLen} tokens, ${BATCH.new} new tokens each, greedy with KV cache`,
  );
  console.log(
    `scoring: batch ${SCORE.batch} × (${SCORE.promptLen} prompt + ${SCORE.completionLen} completion) tokens, float32 log-softmax`,
  );
  for (const size of sizes) {
    const g = (e: string) => rate(`${size} generate ${e}`, genTokens);
    const b = (e: string) => rate(`${size} batch ${e}`, batchTokens);
    const s = (e: string) => rate(`${size} score ${e}`, scoreTokens);
    const same = (a: string, b: string) => JSON.stringify(results[a]) === JSON.stringify(results[b]);
    console.log(`\n${size}:`);
    const llamaCpp = withLlamaCpp ? `   llama.cpp ${g("llama.cpp").toFixed(1)}` : "";
    console.log(
      `  generate tokens/s   calign ${g("calign").toFixed(1)}   PyTorch ${g("torch").toFixed(1)}${llamaCpp}`,
    );
    const r = (task: string, other: string) => ratio(`${size} ${task} calign`, `${size} ${task} ${other}`);
    console.log(
      `    calign/PyTorch ${r("generate", "torch")}` +
        (withLlamaCpp ? `   calign/llama.cpp ${r("generate", "llama.cpp")} (target >= 1.0)` : "") +
        `   same tokens: PyTorch ${same(`${size} generate calign`, `${size} generate torch`)}` +
        (withLlamaCpp ? `, llama.cpp ${same(`${size} generate calign`, `${size} generate llama.cpp`)}` : ""),
    );
    console.log(
      `  batch ${BATCH.batch} tokens/s  calign ${b("calign").toFixed(1)}   PyTorch ${b("torch").toFixed(1)}`,
    );
    console.log(
      `    calign/PyTorch ${r("batch", "torch")}   same tokens: ${same(`${size} batch calign`, `${size} batch torch`)}`,
    );
    const sumC = results[`${size} score calign`] as number;
    const sumT = results[`${size} score torch`] as number;
    console.log(`  score tokens/s      calign ${s("calign").toFixed(1)}   PyTorch ${s("torch").toFixed(1)}`);
    console.log(
      `    calign/PyTorch ${r("score", "torch")} (target >= 1.0)   summed log-prob calign ${sumC.toFixed(3)} PyTorch ${sumT.toFixed(3)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

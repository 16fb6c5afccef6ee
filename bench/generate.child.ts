// One benchmark process for calign: loads a model folder and times KV-cached greedy generation (one
// prompt or a batch) or batched scoring; prints per-repeat milliseconds and the result (to check the
// engines agree) as JSON. DEVICE and DTYPE (default cpu, float32) say where the weights load.
//   node generate.child.js FOLDER MODE WARMUP TIMED [DEVICE DTYPE]
import type { DType } from "../src/engine/index.js";
import { fromPretrained, generate, scoreTokens } from "../src/models/index.js";
import { BATCH, batchPrompts, GENERATE, SCORE, scoreIds } from "./generate-models.js";

const [folder, mode, warmup, timed, device = "cpu", dtype = "float32"] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
  string?,
];
const model = fromPretrained(folder, { device, dtype: dtype as DType });
const ids = scoreIds(model.vocabSize);
const items = ids.map((row) => ({
  prompt: row.slice(0, SCORE.promptLen),
  completion: row.slice(SCORE.promptLen),
}));
const ms: number[] = [];
const prompts = batchPrompts(model.vocabSize);
const work: Record<string, () => unknown> = {
  generate: () =>
    generate(model, [GENERATE.prompt], { maxNewTokens: GENERATE.new, eosTokenIds: [] })[0]!.tokens,
  batch: () => generate(model, prompts, { maxNewTokens: BATCH.new, eosTokenIds: [] }).map((g) => g.tokens),
  score: () => scoreTokens(model, items, { batchSize: SCORE.batch }).reduce((a, s) => a + s.sum, 0),
};
const run = work[mode];
if (run === undefined) throw new Error(`mode must be one of ${Object.keys(work).join(", ")}, not ${mode}`);
let result: unknown;
for (let i = 0; i < Number(warmup) + Number(timed); i++) {
  const t0 = performance.now();
  result = run();
  if (i >= Number(warmup)) ms.push(performance.now() - t0);
}
process.stdout.write(`${JSON.stringify({ ms, result })}\n`);

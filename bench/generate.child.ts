// One benchmark process for calign: loads a model folder and times KV-cached greedy generation or
// batched scoring; prints per-repeat milliseconds and the result (to check the engines agree) as JSON.
import { fromPretrained, generate, scoreTokens } from "../src/models/index.js";
import { GENERATE, SCORE, scoreIds } from "./generate-models.js";

const [folder, mode, warmup, timed] = process.argv.slice(2) as [string, string, string, string];
const model = fromPretrained(folder);
const ids = scoreIds(model.vocabSize);
const items = ids.map((row) => ({
  prompt: row.slice(0, SCORE.promptLen),
  completion: row.slice(SCORE.promptLen),
}));
const ms: number[] = [];
let result: unknown;
for (let i = 0; i < Number(warmup) + Number(timed); i++) {
  const t0 = performance.now();
  result =
    mode === "generate"
      ? generate(model, [GENERATE.prompt], { maxNewTokens: GENERATE.new, eosTokenIds: [] })[0]!.tokens
      : scoreTokens(model, items, { batchSize: SCORE.batch }).reduce((a, s) => a + s.sum, 0);
  if (i >= Number(warmup)) ms.push(performance.now() - t0);
}
process.stdout.write(`${JSON.stringify({ ms, result })}\n`);

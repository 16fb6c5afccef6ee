// One benchmark process for llama.cpp (node-llama-cpp 3.21.1, prebuilt CPU binary): the same greedy
// generation from token ids on the same weights as GGUF F32.
import { getLlama } from "node-llama-cpp";
import { GENERATE } from "./generate-models.js";

const [path, warmup, timed] = process.argv.slice(2) as [string, string, string];
const llama = await getLlama({ gpu: false, build: "never" });
const model = await llama.loadModel({ modelPath: path });
const context = await model.createContext({ contextSize: 512, threads: 2, batchSize: 512 });
const sequence = context.getSequence();
const ms: number[] = [];
let result: number[] = [];
for (let i = 0; i < Number(warmup) + Number(timed); i++) {
  await sequence.clearHistory();
  const t0 = performance.now();
  const out: number[] = [];
  for await (const token of sequence.evaluate(GENERATE.prompt as never[], { temperature: 0 })) {
    out.push(token as unknown as number);
    if (out.length === GENERATE.new) break;
  }
  if (i >= Number(warmup)) ms.push(performance.now() - t0);
  result = out;
}
process.stdout.write(`${JSON.stringify({ ms, result })}\n`);
await context.dispose();
await model.dispose();

// calign's side of the decoder-layer benchmark (bench/gpu/run.sh): forward + backward through one
// Llama-7B-shaped decoder layer (with its embedding and final norm, a tiny vocabulary) in bfloat16,
// 1 × T tokens, every weight trained; prints the median milliseconds of the timed steps as JSON.
//   node dist/bench/gpu/decoder-layer.js DEVICE T [tiny]
import { enableGrad, Generator, randint, randn, tidy } from "../../src/engine/index.js";
import { randomModel } from "../../src/models/index.js";
import { median } from "../bench-util.js";
import { LAYER_7B, tiny } from "./shapes.js";

const [device = "cuda:0", tokens = "2048", size] = process.argv.slice(2);
const T = Number(tokens);
const config = size === "tiny" ? tiny(LAYER_7B) : LAYER_7B;
const model = randomModel(config, 0, 0.02, device, "bfloat16");
const params = [...model.params.values()].map((p) => p.setRequiresGrad(true));
const g = new Generator(1);
const ids = randint(0, Number(config.vocab_size), [1, T], g, { dtype: "int64", device });
const outGrad = randn([1, T, Number(config.hidden_size)], g, { device }).to("bfloat16");

function step(): number {
  const t0 = performance.now();
  tidy(() =>
    enableGrad(() => {
      model.hidden(ids).backward(outGrad);
      // Reading a value back waits for the device's queued kernels: the step is over.
      params[0]!.grad!.sum().item();
    }),
  );
  for (const p of params) p.grad = null;
  return performance.now() - t0;
}

const WARMUP = 3;
const TIMED = 10;
const ms: number[] = [];
for (let i = 0; i < WARMUP + TIMED; i++) {
  const t = step();
  if (i >= WARMUP) ms.push(t);
}
process.stdout.write(`${JSON.stringify({ ms: median(ms) })}\n`);

// One benchmark process for calign: builds the stack, runs warmup + timed training steps
// (forward + backward + AdamW), prints per-step milliseconds and peak RSS as JSON.
import { AdamW, Generator, randint, tidy } from "../src/engine/index.js";
import { buildStack, ENGINE_MD_CONFIG, stackLoss } from "./gpt2-stack.js";

const [warmup, timed] = process.argv.slice(2).map(Number) as [number, number];
const cfg = ENGINE_MD_CONFIG;
const stack = buildStack(cfg, 0);
const opt = new AdamW([{ params: stack.params, lr: 1e-4, weightDecay: 0.01 }]);
const g = new Generator(1);
const ms: number[] = [];
let loss = 0;
for (let i = 0; i < warmup + timed; i++) {
  const t0 = performance.now();
  loss = tidy(() => {
    const ids = randint(0, cfg.vocab, [cfg.batch, cfg.seq + 1], g);
    const l = stackLoss(stack, ids);
    opt.zeroGrad();
    l.backward();
    opt.step();
    return l.item();
  });
  if (i >= warmup) ms.push(performance.now() - t0);
}
process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, loss })}\n`);

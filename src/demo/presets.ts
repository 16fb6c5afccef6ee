// The demo's two sizes. Full: three seeds, the paper's n = 10 paraphrases (3 attached to each item),
// within 30 minutes on a 2-core machine. Quick (CI, first looks): one seed and less data, within 5
// minutes. The self-reward is `agreement` (a candidate's mean ROUGE-L to the other wordings' candidates):
// the base model is a few million parameters, and as a yes/no judge of its own answers it barely
// discriminates (see README, "What the demo measures"); `--reward.method judge` runs method.md's
// default. Any setting can be overridden with `calign run`-style flags (e.g. --cat.sft-weight 0.5).
import type { DemoPreset } from "./run-demo.js";

const COMMON = [
  ...["--augment.source", "pool", "--augment.per-item", "3", "--chat", "true"],
  ...["--sft.max-length", "96", "--sft.learning-rate", "0.003", "--sft.lr-scheduler", "cosine"],
  ...["--sft.warmup-ratio", "0.05", "--sft.batch-size", "32", "--sft.epochs", "2"],
  ...["--sft.logging-steps", "10", "--sft.save-steps", "100"],
  ...[
    "--sample.k",
    "4",
    "--sample.temperature",
    "0.8",
    "--sample.top-p",
    "0.95",
    "--sample.max-tokens",
    "16",
  ],
  ...["--reward.method", "agreement", "--pairs.min-gap", "0.05"],
  ...["--cat.loss", "sigmoid", "--cat.beta", "0.1", "--cat.sft-weight", "1", "--cat.max-length", "96"],
  ...["--cat.learning-rate", "0.0002", "--cat.batch-size", "16", "--cat.epochs", "2"],
  ...["--cat.logging-steps", "5", "--cat.save-steps", "100"],
  ...["--evaluate.max-tokens", "16", "--evaluate.batch-size", "64"],
];

export const FULL: DemoPreset = {
  sizes: { train: 40, eval: 10, evalVariants: 8 },
  seeds: [0, 1, 2],
  flags: [
    ...COMMON,
    ...["--augment.n", "10", "--sample.max-groups", "600", "--sample.variants-per-group", "4"],
    ...["--evaluate.bootstrap", "1000"],
  ],
};

export const QUICK: DemoPreset = {
  sizes: { train: 16, eval: 4, evalVariants: 4 },
  seeds: [0],
  flags: [
    ...COMMON,
    ...["--augment.n", "6", "--sample.max-groups", "100", "--sample.variants-per-group", "2"],
    ...["--evaluate.bootstrap", "200"],
  ],
};

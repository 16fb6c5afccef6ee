// The demo's two sizes. Full: five seeds (targets are judged on 95% t-intervals over five), the paper's
// n = 10 paraphrases (1 attached to each item). Quick (CI, first looks): one seed and less data.
// Stage 1 trains each instance once under its original wording (demo-data.ts): at the same cost, more
// distinct instances teach more than every wording of fewer (docs/pretrain.md, "More instances"), in
// batches of 16: twice the steps of 32 over the same examples, for about an eighth more time on 2 CPU
// ranks, and plain SFT 4.5 points more accurate (docs/pretrain.md, "Batch size"; README).
// Lengths are in models/base's tokens, which are characters: 256 holds the longest prompt and answer,
// 48 the longest answer. Stage 2 samples its own prompts (more training-split draws, which stage 1 did
// not train on where the family's inputs are many) under every wording training gave their instruction:
// on the training items the stage-1 model already agrees with itself (two thirds of candidate sets
// tied) and stage 2 learned little there. The self-reward is `agreement_contrastive` (a candidate's
// mean ROUGE-L to the other wordings' candidates less that to other inputs' candidates), without
// verification examples: models/base does not learn to judge its own answers from stage 1's examples
// (README, "Why not the paper's self-reward": AUC 0.48 with 2 per item), while agreement tracks the checker; the
// contrast keeps stage 2 from paying a constant answer where the model does not know the task (plain
// agreement collapsed sentiment and the category families). Each wording's worst candidate is paired
// with the best of any of the item's wordings (`best-of-item`), so a wording that agrees with itself
// but not with the others still gives a pair, and only pairs the self-reward separates by 0.5 or more
// are kept (a quarter to a third of them, chosen on a validation set of other held-out instances: at
// 0.05 stage 2 cost accuracy there, at 0.5 it gained some; docs/demo-results.md, "Why `pairs.min_gap` 0.5").
// `--reward.method judge` runs method.md's default.
// CAT's learning rate, 7e-5, keeps the ratio to SFT's rate (1e-3) the previous base's preset had (2e-4
// to 3e-3); at 2e-4 CAT cost seed 0 3.4 points of held-out accuracy
// (docs/demo-first-character-base.md).
// Both trainers run in bf16 mixed precision where their device computes bf16 natively (about half the
// step time on such a CPU; slower than float32 on one without, so float32 stays there).
// Any setting can be overridden with `calign run`-style flags (e.g. --cat.sft-weight 0.5).
import { computesBf16Natively, resolveDevice } from "../engine/index.js";
import { WORKED_ANSWER_PATTERN } from "../tasks/index.js";
import type { DemoPreset } from "./run-demo.js";

const COMMON = [
  ...["--augment.source", "pool", "--augment.per-item", "1", "--chat", "true"],
  ...["--sft.max-length", "256", "--sft.learning-rate", "0.001", "--sft.lr-scheduler", "cosine"],
  ...["--sft.warmup-ratio", "0.05", "--sft.batch-size", "16", "--sft.epochs", "1"],
  ...["--sft.logging-steps", "10", "--sft.save-steps", "100"],
  ...[
    "--sample.k",
    "4",
    "--sample.temperature",
    "0.8",
    "--sample.top-p",
    "0.95",
    "--sample.max-tokens",
    "48",
  ],
  ...["--sample.wordings", "instruction"],
  ...["--reward.method", "agreement_contrastive", "--judge-data.examples-per-item", "0"],
  ...["--pairs.mode", "best-of-item", "--pairs.min-gap", "0.5"],
  ...["--cat.loss", "sigmoid", "--cat.beta", "0.1", "--cat.sft-weight", "1", "--cat.max-length", "256"],
  ...["--cat.learning-rate", "0.00007", "--cat.batch-size", "16", "--cat.epochs", "2"],
  ...["--cat.logging-steps", "5", "--cat.save-steps", "100"],
  ...["--evaluate.max-tokens", "48", "--evaluate.batch-size", "64"],
];

export const FULL: DemoPreset = {
  sizes: { train: 280, prompts: 40, eval: 10, evalVariants: 8 },
  seeds: [0, 1, 2, 3, 4],
  flags: [
    ...COMMON,
    ...["--augment.n", "10", "--sample.max-groups", "600", "--sample.variants-per-group", "4"],
    ...["--evaluate.bootstrap", "1000"],
  ],
};

export const QUICK: DemoPreset = {
  sizes: { train: 112, prompts: 16, eval: 4, evalVariants: 4 },
  seeds: [0],
  flags: [
    ...COMMON,
    ...["--augment.n", "6", "--sample.max-groups", "100", "--sample.variants-per-group", "2"],
    ...["--evaluate.bootstrap", "200"],
  ],
};

/**
 * The preset with bf16 turned on for each trainer whose device (its own `<trainer>.device` unless auto,
 * else `device`, as the run resolves it) computes bf16 natively and whose bf16 the user left alone; also
 * which trainers that was.
 */
export function withNativeBf16(
  preset: DemoPreset,
  values: ReadonlyMap<string, unknown>,
  given: ReadonlySet<string>,
): { preset: DemoPreset; bf16: string[] } {
  const bf16 = ["sft", "cat"].filter((trainer) => {
    if (given.has(`${trainer}.bf16`)) return false;
    const own = values.get(`${trainer}.device`);
    const name = typeof own === "string" && own !== "auto" ? own : String(values.get("device") ?? "auto");
    return computesBf16Natively(resolveDevice(name));
  });
  return {
    preset: { ...preset, flags: [...preset.flags, ...bf16.flatMap((t) => [`--${t}.bf16`, "true"])] },
    bf16,
  };
}

/**
 * `calign demo --worked`: training targets are worked answers (tasks/worked-answer.ts), and the answer
 * pattern finds the answer in every response wherever answers are compared. 320 tokens hold the longest
 * prompt, worked answer and chat markers (301), 144 the longest worked answer (129). Set after the
 * preset's flags (as --set, like the user's own overrides, which still come after and win).
 */
export function withWorkedAnswers(preset: DemoPreset): DemoPreset {
  const settings = {
    answer_pattern: WORKED_ANSWER_PATTERN,
    "sft.max_length": 320,
    "cat.max_length": 320,
    "sample.max_tokens": 144,
    "evaluate.max_tokens": 144,
  };
  return {
    ...preset,
    worked: true,
    flags: [...preset.flags, ...Object.entries(settings).flatMap(([k, v]) => ["--set", `${k}=${v}`])],
  };
}

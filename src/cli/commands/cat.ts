// `calign cat`: stage 2 of the method, consistency alignment training — `calign dpo` on the pairs
// `calign pairs` wrote, from the stage-1 (SFT(IA)) model, with the method's defaults (DPO sigmoid,
// β = 0.1, λ = sft_weight = 1). Every `calign dpo` option applies.
import type { Command } from "../command.js";
import { dpo } from "./dpo.js";

export const cat: Command = {
  name: "cat",
  summary: "stage 2, consistency alignment training: calign dpo on self-rewarded pairs (DPO + λ·SFT)",
  help: `Usage: calign cat --model SFT_IA_MODEL --data PAIRS.jsonl --output DIR [options]

Consistency alignment training (Zhao et al. 2024, stage 2): the stage-1 model trained on preference pairs
of its own self-rewarded candidates, with a preference loss plus a λ-weighted SFT term on the chosen
response. The same trainer and options as calign dpo, whose help follows.

${dpo.help}`,
  options: dpo.options,
  run: (argv) => dpo.run(argv),
};

// `calign dpo`: preference training (stage 2, consistency alignment training: a preference or ranking
// loss plus λ·SFT on the model's own self-rewarded pairs).
import { schemaHelp } from "../../config/index.js";
import { DPO_SCHEMA } from "../../train/dpo-schema.js";
import type { DpoRunResult } from "../../train/run-dpo.js";
import type { Command } from "../command.js";
import { refuseUntrainableDtype, runTraining } from "../run-training.js";

const HELP = `Usage: calign dpo --model PATH --data FILE --output DIR [options]

Preference training as TRL's DPOTrainer computes it, plus a ranking loss over k responses:
  loss = mean over pairs of the preference loss + sft_weight · SFT(chosen)
with h = (log π(chosen) − log π(rejected)) − (log πref(chosen) − log πref(rejected)), log π summed over
the response's tokens:
  sigmoid  −(1−ε)·log σ(β·h) − ε·log σ(−β·h)        DPO (Rafailov et al. 2023); ε = --label-smoothing > 0
                                                  is conservative DPO (cDPO, Mitchell 2023)
  hinge    max(0, 1 − β·h)                           SLiC (Zhao et al. 2023)
  ipo      (h − 1/(2β))², log π averaged per token   IPO (Azar et al. 2023)
  ranking  Σ over r_i < r_j of max(0, p_i − p_j)     RRHF (Yuan et al. 2023), over k responses with rewards r;
                                                  p = log π averaged per token
SFT(chosen) is the mean negative log-likelihood of the chosen (ranking: best-rewarded) response tokens.
Defaults follow the method (docs/training.md): λ = --sft-weight 1 (TRL's default is 0, no SFT term),
β 0.1 and TRL DPOConfig's learning rate 1e-6.

Data (JSONL): TRL preference records {"prompt","chosen","rejected"}, strings or message lists; without
"prompt", chosen and rejected are whole texts or conversations and their common beginning is the prompt
(TRL's implicit prompt). Ranked lists (--loss ranking) {"prompt","responses":[...],"rewards":[...]}: k >= 2
responses, higher reward is better. Prompt and responses are tokenized separately, chat through the
model's chat template, EOS closing each response. A prompt that leaves no room within --max-length is an
error; longer responses are all cut to the same room (never dropped) and counted.

The reference is the starting model, frozen: its log-probs are computed once before training and cached
in --reference-cache under a hash of the weights and the tokenized data, so later runs and --resume reuse
them and changed weights or data never read a stale file. Only one model is in memory.

Writes to --output: config.effective.yaml, metrics.jsonl (every --logging-steps: loss, grad_norm,
learning_rate, epoch, num_tokens, skipped_steps, loss/preference, loss/sft, rewards/chosen,
rewards/rejected, rewards/margins, rewards/accuracies, logps/chosen, logps/rejected, and
memory/max_allocated_gb on a GPU; rewards are β·(log π − log πref), over the chosen and rejected
(ranking: best and worst) responses, averaged over pairs), checkpoint-N/ (every --save-steps, at the end and on Ctrl-C) and model/ (a Hugging Face folder;
with --use-lora the adapter in PEFT's layout, and model-merged/ the merged model). --resume continues
from the latest checkpoint to the same weights an uninterrupted run reaches.

With --use-lora only the adapters train, and the reference is the base model with adapters disabled
(the same log-probs, and cache entry, as for full fine-tuning).

rewards/chosen often goes negative while the loss falls: DPO only widens the margin, and pushing the
rejected response down faster than the chosen one is expected DPO behaviour, not a bug. If the chosen
response's likelihood must not fall, raise --sft-weight (the usual remedy, as TRL's rpo_alpha).

Options (also settable in a YAML/JSON file given with --config FILE; flags override it):
${schemaHelp(DPO_SCHEMA)}
  --config FILE                           read options from a YAML or JSON file
  --set KEY=VALUE                         set any option
`;

export const dpo: Command = {
  name: "dpo",
  summary: "preference training: DPO, cDPO, IPO, hinge or RRHF ranking, + λ·SFT (stage 2: CAT)",
  help: HELP,
  options: DPO_SCHEMA,
  run: (argv) =>
    runTraining<DpoRunResult>(
      "dpo",
      DPO_SCHEMA,
      argv,
      ["model", "data", "output"],
      new URL("../../train/dpo.worker.js", import.meta.url),
      (r) => {
        const t = r.truncation;
        const ref = `reference log-probs ${r.reference.hit ? "read from" : "computed into"} ${r.reference.path}`;
        if (r.stopped) return `stopped at step ${r.steps}; resume with --resume (${ref})`;
        const m = r.lastMetrics;
        return [
          `trained ${r.steps} steps on ${t.examples} examples (${t.truncated} with responses cut to --max-length, ${t.responsesTruncated} responses; ${t.identical} with identical chosen and rejected; ${r.skippedSteps} steps skipped)`,
          `final loss ${m?.loss?.toFixed(4)}, rewards/accuracies ${m?.["rewards/accuracies"]?.toFixed(4)}, rewards/margins ${m?.["rewards/margins"]?.toFixed(4)}`,
          ref,
          `model: ${r.modelDir}`,
        ].join("\n");
      },
      refuseUntrainableDtype,
    ),
};

// `calign sft`: supervised fine-tuning (stage 1, SFT(IA), on instruction-augmented data; the plain SFT
// baseline on original instructions only).
import { schemaHelp } from "../../config/index.js";
import type { SftRunResult } from "../../train/run-sft.js";
import { SFT_SCHEMA } from "../../train/sft-schema.js";
import type { Command } from "../command.js";
import { refuseUntrainableDtype, runTraining } from "../run-training.js";

const HELP = `Usage: calign sft --model PATH --data FILE --output DIR [options]

Supervised fine-tuning with token-level cross-entropy on the completion given the prompt, as TRL's
SFTTrainer: prompt and completion tokenized separately, chat data through the model's chat template,
EOS closing every completion. AdamW with linear warmup then decay, gradient accumulation weighted by
tokens, gradient-norm clipping; steps with a non-finite loss are skipped and counted, never applied.

Writes to --output: config.effective.yaml, metrics.jsonl (loss, grad_norm, learning_rate, epoch,
num_tokens, skipped_steps, and memory/max_allocated_gb on a GPU, every --logging-steps), checkpoint-N/ (weights, optimizer, data position:
every --save-steps, at the end and on Ctrl-C), and model/ (a Hugging Face folder with the tokenizer and
chat template). --resume continues from the latest checkpoint to the same weights an uninterrupted run
reaches.

Options (also settable in a YAML/JSON file given with --config FILE; flags override it):
${schemaHelp(SFT_SCHEMA)}
  --config FILE                           read options from a YAML or JSON file
  --set KEY=VALUE                         set any option
`;

export const sft: Command = {
  name: "sft",
  summary: "supervised fine-tuning (stage 1: SFT on instruction-augmented data)",
  help: HELP,
  options: SFT_SCHEMA,
  run: (argv) =>
    runTraining<SftRunResult>(
      "sft",
      SFT_SCHEMA,
      argv,
      ["model", "data", "output"],
      new URL("../../train/sft.worker.js", import.meta.url),
      (r) =>
        r.stopped
          ? `stopped at step ${r.steps}; resume with --resume`
          : `trained ${r.steps} steps on ${r.examples} examples (${r.truncated} completions truncated, ${r.skippedSteps} steps skipped); final loss ${r.lastMetrics?.loss?.toFixed(4)}; model: ${r.modelDir}`,
      refuseUntrainableDtype,
    ),
};

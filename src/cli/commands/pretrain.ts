// `calign pretrain`: the embedded base model from scratch — a BPE tokenizer and a small Llama trained
// on the corpus calign generates (facts about words, letters, categories, sentences and numbers).
import { schemaHelp } from "../../config/index.js";
import { PRETRAIN_SCHEMA } from "../../pretrain/pretrain-schema.js";
import type { PretrainRunResult } from "../../pretrain/run-pretrain.js";
import { wordnetDictPath } from "../../pretrain/wordnet-database.js";
import type { Command } from "../command.js";
import { runTraining } from "../run-training.js";

const HELP = `Usage: calign pretrain --output DIR [--config RECIPE.yaml] [options]

Pretrains a base model from nothing: generates the corpus (seeded statements about spellings, letters
and their positions, word lengths, categories, sentences, numbers, arithmetic, boolean expressions and
brackets; no instructions), trains a byte-level BPE tokenizer on it, packs whole documents (BOS ... EOS)
into rows of --seq-length tokens, and trains a Llama with tied embeddings and grouped-query attention
by next-token cross-entropy on every token, with the trainer every calign command shares.

Writes to --output: config.effective.yaml, tokenizer/ (tokenizer.json, tokenizer_config.json with the
chat template, generation_config.json), metrics.jsonl, checkpoint-N/ (every --save-steps, at the end
and on Ctrl-C), and model/ (the base model as a Hugging Face folder). --resume continues from the latest
checkpoint to the same weights an uninterrupted run reaches. See docs/pretrain.md.

Options (also settable in a YAML/JSON file given with --config FILE; flags override it):
${schemaHelp(PRETRAIN_SCHEMA)}
  --config FILE                           read options from a YAML or JSON file
  --set KEY=VALUE                         set any option
`;

export const pretrain: Command = {
  name: "pretrain",
  summary: "pretrain a small base model and its tokenizer on calign's generated corpus",
  help: HELP,
  options: PRETRAIN_SCHEMA,
  run: (argv) =>
    runTraining<PretrainRunResult>(
      "pretrain",
      PRETRAIN_SCHEMA,
      argv,
      ["output"],
      new URL("../../pretrain/pretrain.worker.js", import.meta.url),
      (r) =>
        r.stopped
          ? `stopped at step ${r.steps}; resume with --resume`
          : `trained ${r.steps} steps on ${r.documents} documents (${r.tokens} tokens in ${r.rows} rows, ${r.truncated} documents cut); ${r.parameters} parameters; final loss ${r.lastMetrics?.loss?.toFixed(4)}; model: ${r.modelDir}`,
      // WordNet is a devDependency: a run that needs it and lacks it writes nothing.
      (config) => {
        if ((config["corpus.wordnet"] as number) > 0) wordnetDictPath();
      },
    ),
};

// `calign pretrain` end to end: train the tokenizer on the generated corpus, tokenize and pack the
// corpus into rows of whole documents, train a Llama from random weights with next-token
// cross-entropy through the shared trainer (the SFT loss with every token counted), and write the
// base model as a Hugging Face folder with the tokenizer and chat template. Launched as several ranks,
// it trains data-parallel; rank 0 writes the tokenizer and the model.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ConfigValue } from "../config/index.js";
import type { Rendezvous } from "../distributed/index.js";
import { randomModel } from "../models/index.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { packExamples } from "../train/batches.js";
import { saveTrainedModel } from "../train/save-trained-model.js";
import { sftObjective } from "../train/sft-objective.js";
import type { TokenizedExample } from "../train/tokenized-example.js";
import { type TrainProgress, type TrainResult, train } from "../train/trainer.js";
import { modelPlacement, trainerOptions } from "../train/trainer-schema.js";
import { joinTrainingGroup } from "../train/training-run.js";
import { trainBaseTokenizer } from "./base-tokenizer.js";
import { corpusDocuments } from "./corpus.js";
import { llamaConfig } from "./pretrain-schema.js";

export interface PretrainRunResult extends TrainResult {
  modelDir: string | null;
  documents: number;
  /** Corpus tokens (BOS and EOS included) and the packed rows they fill. */
  tokens: number;
  rows: number;
  /** Documents longer than seq_length, cut to fit. */
  truncated: number;
  parameters: number;
}

export async function runPretrain(
  config: Record<string, ConfigValue>,
  hooks: { progress?: (p: TrainProgress) => void; shouldStop?: () => boolean } = {},
  rendezvous: Rendezvous | null = null,
): Promise<PretrainRunResult> {
  const get = (k: string) => config[k] as ConfigValue;
  const num = (k: string) => get(k) as number;
  const opts = trainerOptions(get);
  const seqLength = num("seq_length");
  const corpusSeed = num("corpus.seed");
  const corpus = { wordnet: num("corpus.wordnet") };
  const { device, gradientCheckpointing } = modelPlacement(get, rendezvous);
  const group = await joinTrainingGroup(get, rendezvous, device);
  const isMain = group === undefined || group.isMain;

  // The tokenizer is retrained on every run (also on resume): it is deterministic, so the same ids.
  const files = trainBaseTokenizer(corpusDocuments(corpusSeed, num("tokenizer.documents"), corpus), {
    vocabSize: num("tokenizer.vocab_size"),
    splitDigits: get("tokenizer.split_digits") as boolean,
    minFrequency: num("tokenizer.min_frequency"),
    modelMaxLength: num("model.max_position_embeddings"),
  });
  const tokenizerDir = join(opts.outputDir, "tokenizer");
  if (isMain) mkdirSync(tokenizerDir, { recursive: true });
  const generation = {
    bos_token_id: files.ids.bos,
    eos_token_id: files.ids.eos,
    pad_token_id: files.ids.pad,
  };
  for (const [name, json] of [
    ["tokenizer.json", files.tokenizerJson],
    ["tokenizer_config.json", files.tokenizerConfig],
    ["generation_config.json", generation],
  ] as const)
    if (isMain) writeFileSync(join(tokenizerDir, name), `${JSON.stringify(json, null, 2)}\n`);
  await group?.barrier();
  const tok = loadTokenizer(tokenizerDir);

  const examples: TokenizedExample[] = [];
  let truncated = 0;
  let tokens = 0;
  let line = 0;
  for (const doc of corpusDocuments(corpusSeed, num("corpus.documents"), corpus)) {
    line++;
    let ids = [...tok.encode(doc), files.ids.eos];
    if (ids.length > seqLength) {
      ids = ids.slice(0, seqLength);
      truncated++;
    }
    tokens += ids.length;
    examples.push({ prompt: ids.slice(0, 1), completion: ids.slice(1), at: { file: "corpus", line } });
  }
  const rows = packExamples(examples, seqLength);

  const modelConfig = llamaConfig(get, tok.vocabSize, files.ids);
  const model = randomModel(modelConfig, opts.seed, num("model.init_std"), device);
  model.gradientCheckpointing = gradientCheckpointing;
  let parameters = 0;
  for (const p of model.params.values()) parameters += p.numel;
  const fingerprint = {
    model: modelConfig,
    tokenizer: files.tokenizerJson.model,
    corpus: corpusSeed,
    // Only when set, so checkpoints saved before the option existed still resume.
    ...(corpus.wordnet > 0 && { wordnet: corpus.wordnet }),
    rows: rows.length,
    seqLength,
  };
  const result = await train(sftObjective(model, rows, fingerprint), opts, hooks, group);
  const modelDir = result.stopped || !isMain ? null : saveTrainedModel(model, tokenizerDir, opts.outputDir);
  await group?.barrier();
  await group?.destroy();
  model.dispose();
  return { ...result, modelDir, documents: line, tokens, rows: rows.length, truncated, parameters };
}

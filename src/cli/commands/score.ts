// `calign score`: teacher-forced log-probabilities of completions given prompts, per token and summed.
import { type OptionSchema, schemaHelp } from "../../config/index.js";
import { BATCH_SIZE, CHAT, DIST_TIMEOUT, OUTPUT_FILE } from "../../config/shared-options.js";
import { parseTextOrMessages } from "../../data/chat.js";
import type { Location } from "../../data/errors.js";
import { Fields } from "../../data/fields.js";
import { completionIds, lengthBatches, promptIds, scoreBatch } from "../../models/index.js";
import type { ChatMessage } from "../../tokenizers/index.js";
import { writeBatchLines } from "../batch-lines.js";
import { type Command, UsageError } from "../command.js";
import { exitOnDataError } from "../data-error-exit.js";
import { fitOrFail } from "../fit-context.js";
import {
  type Id,
  loadModelAndTokenizer,
  MODEL_OPTIONS,
  readAll,
  recordId,
  TRUNCATION,
} from "../model-inputs.js";
import { parseOptions } from "../parse-options.js";

export const SCORE_OPTIONS = {
  ...MODEL_OPTIONS,
  input: { type: "string", default: null, help: 'JSONL pairs ("-" for standard input) (required)' },
  output: OUTPUT_FILE,
  chat: CHAT,
  batch_size: BATCH_SIZE,
  truncation: TRUNCATION,
  dist_timeout: DIST_TIMEOUT,
} as const satisfies OptionSchema;

const HELP = `Usage: calign score --model PATH --input pairs.jsonl [--output scores.jsonl] [options]

Scores completions under a model: for each line {"id", "prompt", "completion"} (the prompt may also be
a list of chat messages, rendered through the chat template) it writes
  {"id", "tokens", "token_logprobs", "logprob", "token_count"}
where token_logprobs[i] = log p(completion token i | prompt, completion tokens before i), natural log,
and logprob is their sum. Prompt and completion are tokenized separately and their ids concatenated
(the completion never merges with the prompt's last token); the prompt gets the tokenizer's BOS, the
completion no special tokens. Log-softmax runs in float32. Bad input: the error names the file, line
and field, exit status 1, nothing written. Prompt and completion together must fit the model's context;
that is checked for every pair before the first is scored (--truncation cuts only the prompt). Pairs
are scored --batch-size at a time, grouped by length (shortest first) to limit padding.

Across the ranks of a launch (calign launch --nproc-per-node N -- score ..., torchrun, SLURM) every rank
loads the model and the batches are shared out, each scored whole by one rank; rank 0 gathers the lines
in input order and writes them, the bytes one process writes (under the same OMP_NUM_THREADS).

Options (also from a YAML/JSON file with --config FILE):
${schemaHelp(SCORE_OPTIONS)}
`;

interface Pair {
  id: Id;
  prompt: string | ChatMessage[];
  completion: string;
  at: Location;
}

function parsePair(value: unknown, at: Location): Pair {
  const f = Fields.of(value, at);
  return {
    id: recordId(f),
    prompt: parseTextOrMessages(f, "prompt"),
    completion: f.string("completion"),
    at,
  };
}

export const score: Command = {
  name: "score",
  summary: "per-token log-probabilities of completions given prompts (JSONL in, JSONL out)",
  help: HELP,
  options: SCORE_OPTIONS,
  async run(argv) {
    const { options: v } = parseOptions(SCORE_OPTIONS, argv);
    const input = v.input;
    if (input === null) throw new UsageError("--input FILE is required (see --help)");
    const { batchSize, truncation } = v;
    return exitOnDataError("score", async () => {
      const pairs = await readAll(input, parsePair);
      const { model, tok } = loadModelAndTokenizer(v.model, v.dtype, v.device);
      const encoded = pairs.map((p) => {
        const completion = completionIds(tok, p.completion);
        const reserved = { field: "completion", what: "the completion", tokens: completion.length };
        const prompt = promptIds(tok, p.prompt, v.chat);
        return { prompt: fitOrFail(prompt, reserved, model.maxPositions, truncation, p.at), completion };
      });
      await writeBatchLines({
        label: "score",
        batches: lengthBatches(encoded, batchSize),
        count: pairs.length,
        lines: (batch) =>
          scoreBatch(
            model,
            batch.map((i) => encoded[i]!),
          ).map((r, k) => {
            const i = batch[k]!;
            const { completion } = encoded[i]!;
            const line = {
              id: pairs[i]!.id,
              tokens: completion.map((id) => tok.idToToken(id)),
              token_logprobs: r.tokenLogprobs,
              logprob: r.sum,
              token_count: completion.length,
            };
            return `${JSON.stringify(line)}\n`;
          }),
        output: v.output ?? undefined,
        distTimeout: v.distTimeout,
      });
      return 0;
    });
  },
};

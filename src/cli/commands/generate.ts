// `calign generate`: text from a model for one prompt (streamed) or a JSONL file of prompts (batched).
import { type OptionSchema, schemaHelp } from "../../config/index.js";
import {
  BATCH_SIZE,
  CHAT,
  DIST_TIMEOUT,
  OUTPUT_FILE,
  SAMPLING_OPTIONS,
} from "../../config/shared-options.js";
import type { Location } from "../../data/errors.js";
import { rendezvousFromEnv } from "../../distributed/index.js";
import {
  type CausalLM,
  generateTextFromIds,
  promptIds,
  type TextGenerateOptions,
  type TextGeneration,
} from "../../models/index.js";
import type { Tokenizer } from "../../tokenizers/index.js";
import { writeBatchLines } from "../batch-lines.js";
import { type Command, UsageError } from "../command.js";
import { exitOnDataError } from "../data-error-exit.js";
import { fitOrFail } from "../fit-context.js";
import {
  type Id,
  loadModelAndTokenizer,
  MODEL_OPTIONS,
  parsePromptRecord,
  readAll,
  TRUNCATION,
} from "../model-inputs.js";
import { parseOptions } from "../parse-options.js";

export const GENERATE_OPTIONS = {
  ...MODEL_OPTIONS,
  input: { type: "string", default: null, help: 'JSONL prompts ("-" for standard input) instead of PROMPT' },
  output: OUTPUT_FILE,
  chat: CHAT,
  ...SAMPLING_OPTIONS,
  repetition_penalty: {
    type: "number",
    default: 1,
    min: 0.01,
    help: "divide positive / multiply negative logits of tokens already in the sequence by X (CTRL, Keskar et al. 2019); 1 = off",
  },
  seed: { type: "integer", default: 0, min: 0, help: "seed of the sampler" },
  dist_timeout: DIST_TIMEOUT,
  stop: {
    type: "string[]",
    default: [],
    repeat: true,
    help: "stop a prompt's text before this text; repeat the flag for several",
  },
  batch_size: BATCH_SIZE,
  truncation: TRUNCATION,
} as const satisfies OptionSchema;

const HELP = `Usage: calign generate --model PATH [options] PROMPT
       calign generate --model PATH --input prompts.jsonl [--output out.jsonl] [options]

Generates text. With PROMPT, the text is streamed to standard output as it is produced. With --input,
each line is {"id", "prompt": "..."} or {"id", "messages": [{"role", "content"}, ...]} (messages go
through the model's chat template); prompts run in batches (left-padded) and each result is one line
  {"id", "text", "token_count", "finish_reason"}    finish_reason: eos | stop | length
written to --output once all are done (or to standard output). Bad input: the error names the file,
line and field, exit status 1, nothing written. Every prompt must leave --max-tokens of room in the
model's context; that is checked for all of them before the first is generated.

Across the ranks of a launch (calign launch --nproc-per-node N -- generate ..., torchrun, SLURM) every
rank loads the model and the batches of --input are shared out, each generated whole by one rank; rank 0
gathers the lines in input order and writes them, the bytes one process writes (under the same
OMP_NUM_THREADS). One PROMPT is generated and printed by rank 0 alone.

Options (also from a YAML/JSON file with --config FILE):
${schemaHelp(GENERATE_OPTIONS)}
`;

export const generate: Command = {
  name: "generate",
  summary: "generate text from a model (HF folder or GGUF) for one prompt or a JSONL file",
  help: HELP,
  options: GENERATE_OPTIONS,
  async run(argv) {
    const { options: v, positionals } = parseOptions(GENERATE_OPTIONS, argv, Infinity);
    if ((v.input === null) === (positionals.length === 0))
      throw new UsageError("give one PROMPT or --input FILE (see --help)");
    if (positionals.length > 1) throw new UsageError("give the prompt as one argument (quote it)");
    // One prompt is one batch: of the ranks of a launch, the first streams it and the others are done.
    if (v.input === null && (rendezvousFromEnv()?.rank ?? 0) > 0) return 0;
    const opts: TextGenerateOptions = {
      chat: v.chat,
      maxNewTokens: v.maxTokens,
      temperature: v.temperature,
      topK: v.topK,
      topP: v.topP,
      repetitionPenalty: v.repetitionPenalty,
      seed: v.seed,
      stopStrings: v.stop,
    };
    const { batchSize, truncation } = v;
    return exitOnDataError("generate", async () => {
      const records =
        v.input === null
          ? [{ id: 0, prompt: positionals[0]!, at: { file: "PROMPT", line: null } as Location }]
          : await readAll(v.input, (value, at) => ({ ...parsePromptRecord(value, at), at }));
      const { model, tok } = loadModelAndTokenizer(v.model, v.dtype, v.device);
      const maxNew = opts.maxNewTokens!;
      if (maxNew >= model.maxPositions)
        throw new UsageError(
          `--max-tokens ${maxNew} leaves no room for a prompt in the model's context of ${model.maxPositions} tokens`,
        );
      const reserved = { field: "max_tokens", what: "--max-tokens", tokens: maxNew };
      const ids = records.map((r) =>
        fitOrFail(promptIds(tok, r.prompt, opts.chat), reserved, model.maxPositions, truncation, r.at),
      );
      if (v.input === null) {
        streamOne(model, tok, ids[0]!, opts);
        return 0;
      }
      // Consecutive prompts, batchSize at a time (a batch is left-padded to its longest prompt).
      const batches: number[][] = [];
      for (let s = 0; s < records.length; s += batchSize)
        batches.push(records.slice(s, s + batchSize).map((_, i) => s + i));
      await writeBatchLines({
        label: "generate",
        batches,
        count: records.length,
        lines: (batch) =>
          generateTextFromIds(
            model,
            tok,
            batch.map((i) => ids[i]!),
            opts,
          ).map((g, k) => generationLine(records[batch[k]!]!.id, g)),
        output: v.output ?? undefined,
        distTimeout: v.distTimeout,
      });
      return 0;
    });
  },
};

function generationLine(id: Id, g: TextGeneration): string {
  const line = { id, text: g.text, token_count: g.tokens.length, finish_reason: g.finishReason };
  return `${JSON.stringify(line)}\n`;
}

/** One prompt's text to standard output as it is produced (at the end when stop strings may cut it). */
function streamOne(model: CausalLM, tok: Tokenizer, ids: number[], opts: TextGenerateOptions): void {
  let shown = "";
  const tokens: number[] = [];
  const stream = (opts.stopStrings ?? []).length === 0;
  const [g] = generateTextFromIds(model, tok, [ids], {
    ...opts,
    onToken: (_, id) => {
      if (!stream) return;
      tokens.push(id);
      const text = tok.decode(tokens, { skipSpecialTokens: true });
      // An incomplete UTF-8 sequence decodes to U+FFFD: wait for the rest of it.
      if (text.endsWith("\uFFFD")) return;
      process.stdout.write(text.slice(shown.length));
      shown = text;
    },
  });
  process.stdout.write(`${g!.text.slice(shown.length)}\n`);
}

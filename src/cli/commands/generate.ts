// `calign generate`: text from a model for one prompt (streamed) or a JSONL file of prompts (batched).
import type { Location } from "../../data/errors.js";
import { generateTextFromIds, promptIds, type TextGenerateOptions } from "../../models/index.js";
import { type Command, UsageError } from "../command.js";
import { exitOnDataError } from "../data-error-exit.js";
import { fitOrFail, TRUNCATION_HELP, truncationFlag } from "../fit-context.js";
import { loadModelAndTokenizer, MODEL_HELP, numberFlag, parsePromptRecord, readAll } from "../model-flags.js";
import { parseFlags } from "../parse-flags.js";
import { progressBar } from "../progress.js";
import { writeLines } from "../write-output.js";

const HELP = `Usage: calign generate --model PATH [options] PROMPT
       calign generate --model PATH --input prompts.jsonl [--output out.jsonl] [options]

Generates text. With PROMPT, the text is streamed to standard output as it is produced. With --input,
each line is {"id", "prompt": "..."} or {"id", "messages": [{"role", "content"}, ...]} (messages go
through the model's chat template); prompts run in batches (left-padded) and each result is one line
  {"id", "text", "token_count", "finish_reason"}    finish_reason: eos | stop | length
written to --output once all are done (or to standard output). Bad input: the error names the file,
line and field, exit status 1, nothing written. Every prompt must leave --max-new-tokens of room in the
model's context; that is checked for all of them before the first is generated.

Options:
${MODEL_HELP}
  --input FILE           JSONL prompts ("-" for standard input) instead of PROMPT
  -o, --output FILE      where the JSONL results go, written atomically (default: standard output)
  --chat                 wrap plain prompts as one user message through the chat template
                         (default: the prompt text as is, with the tokenizer's BOS)
  --max-new-tokens N     most tokens generated per prompt (default 128)
  --temperature X        0 = greedy (always the most likely token); otherwise sample from
                         softmax(logits / X) (default 0)
  --top-k N              sample among the N most likely tokens only; 0 = all (default 0)
  --top-p X              sample among the most likely tokens whose mass reaches X; 1 = all (default 1)
  --repetition-penalty X divide positive / multiply negative logits of tokens already in the sequence
                         by X (CTRL, Keskar et al. 2019); 1 = off (default 1)
  --seed N               seed of the sampler (default 0)
  --stop TEXT            stop a prompt's text before TEXT; repeat for several (default: none)
  --batch-size N         prompts per batch (default 8)
${TRUNCATION_HELP}
  -h, --help             show this help
`;

export const generate: Command = {
  name: "generate",
  summary: "generate text from a model (HF folder or GGUF) for one prompt or a JSONL file",
  help: HELP,
  async run(argv) {
    const { values: v, positionals } = parse(argv);
    if ((v.input === undefined) === (positionals.length === 0))
      throw new UsageError("give one PROMPT or --input FILE (see --help)");
    if (positionals.length > 1) throw new UsageError("give the prompt as one argument (quote it)");
    const opts: TextGenerateOptions = {
      chat: v.chat === true,
      maxNewTokens: numberFlag(v["max-new-tokens"], "max-new-tokens", 128, { integer: true, min: 1 }),
      temperature: numberFlag(v.temperature, "temperature", 0, { min: 0 }),
      topK: numberFlag(v["top-k"], "top-k", 0, { integer: true, min: 0 }),
      topP: numberFlag(v["top-p"], "top-p", 1, { min: 0, max: 1 }),
      repetitionPenalty: numberFlag(v["repetition-penalty"], "repetition-penalty", 1, { min: 0.01 }),
      seed: numberFlag(v.seed, "seed", 0, { integer: true, min: 0 }),
      stopStrings: v.stop ?? [],
    };
    const batchSize = numberFlag(v["batch-size"], "batch-size", 8, { integer: true, min: 1 });
    const truncation = truncationFlag(v.truncation);
    return exitOnDataError("generate", async () => {
      const records =
        v.input === undefined
          ? [{ id: 0, prompt: positionals[0]!, at: { file: "PROMPT", line: null } as Location }]
          : await readAll(v.input, (value, at) => ({ ...parsePromptRecord(value, at), at }));
      const { model, tok } = loadModelAndTokenizer(v.model, v.dtype, v.device);
      const maxNew = opts.maxNewTokens!;
      if (maxNew >= model.maxPositions)
        throw new UsageError(
          `--max-new-tokens ${maxNew} leaves no room for a prompt in the model's context of ${model.maxPositions} tokens`,
        );
      const reserved = { field: "max-new-tokens", what: "--max-new-tokens", tokens: maxNew };
      const ids = records.map((r) =>
        fitOrFail(promptIds(tok, r.prompt, opts.chat), reserved, model.maxPositions, truncation, r.at),
      );
      if (v.input === undefined) {
        let shown = "";
        const tokens: number[] = [];
        const stream = (opts.stopStrings ?? []).length === 0;
        const [g] = generateTextFromIds(model, tok, ids, {
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
        return 0;
      }
      const bar = progressBar("generate", records.length);
      const lines: string[] = [];
      for (let s = 0; s < records.length; s += batchSize) {
        const batch = records.slice(s, s + batchSize);
        const results = generateTextFromIds(model, tok, ids.slice(s, s + batchSize), opts);
        results.forEach((g, i) => {
          const line = {
            id: batch[i]!.id,
            text: g.text,
            token_count: g.tokens.length,
            finish_reason: g.finishReason,
          };
          lines.push(`${JSON.stringify(line)}\n`);
        });
        bar.update(Math.min(records.length, s + batchSize));
      }
      bar.finish();
      await writeLines(v.output, lines);
      return 0;
    });
  },
};

function parse(argv: string[]) {
  return parseFlags(
    argv,
    {
      model: { type: "string" },
      dtype: { type: "string" },
      device: { type: "string" },
      input: { type: "string" },
      output: { type: "string", short: "o" },
      chat: { type: "boolean" },
      "max-new-tokens": { type: "string" },
      temperature: { type: "string" },
      "top-k": { type: "string" },
      "top-p": { type: "string" },
      "repetition-penalty": { type: "string" },
      seed: { type: "string" },
      stop: { type: "string", multiple: true },
      "batch-size": { type: "string" },
      truncation: { type: "string" },
    },
    true,
  );
}

// `calign rouge`: ROUGE-1/2/L/Lsum of predictions against targets, as Google's rouge-score computes them.
import { type OptionSchema, schemaHelp } from "../../config/index.js";
import { OUTPUT_FILE, ROUGE_OPTIONS } from "../../config/shared-options.js";
import { DataError } from "../../data/errors.js";
import { readRecords } from "../../data/jsonl.js";
import { parseRougePair } from "../../data/rouge-pairs.js";
import { toSource } from "../../data/source.js";
import { DEFAULT_ROUGE_MAX_TOKENS, RougeLengthError, rougeMax } from "../../metrics/rouge.js";
import { type Command, UsageError } from "../command.js";
import { type CommandOutput, processOutput } from "../command-output.js";
import { exitOnDataError } from "../data-error-exit.js";
import { parseOptions } from "../parse-options.js";
import { writeOutput } from "../write-output.js";

export const ROUGE_COMMAND_OPTIONS = {
  jsonl: { type: "boolean", default: false, help: "read pairs from JSONL instead of the two arguments" },
  ...ROUGE_OPTIONS,
  max_text_tokens: {
    type: "integer",
    default: DEFAULT_ROUGE_MAX_TOKENS,
    min: 1,
    help: "refuse a target or prediction longer than N tokens: ROUGE-L's time grows with the product of the two lengths",
  },
  output: OUTPUT_FILE,
} as const satisfies OptionSchema;

const HELP = `Usage: calign rouge [options] <target> <prediction>
       calign rouge --jsonl [FILE] [options]

Scores predictions against targets with ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum, as Google's Python
rouge-score package computes them (the scorer behind the Super-NaturalInstructions evaluation), and
prints one JSON line per pair:
  {"rouge1": {"precision", "recall", "f1"}, "rouge2": {...}, "rougeL": {...}, "rougeLsum": {...}}

Input with --jsonl (FILE, or standard input when FILE is absent or "-"), one pair a line:
  {"target": "...", "prediction": "..."}  or  {"targets": ["...", ...], "prediction": "..."}
Other fields are ignored. With several targets each ROUGE type reports the target with the highest F1
(rouge-score's score_multi; its F1 is the SuperNI scorer's max over references). An input with no pair
is an error.

Options:
${schemaHelp(ROUGE_COMMAND_OPTIONS)}

Definitions (Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries"):
  tokens       default tokenizer: lowercase, every run of characters outside [a-z0-9] becomes a space,
               split on spaces. It drops every other character, so text in other scripts scores 0:
               use --tokenizer unicode (NFKC, lowercase, runs of letters/marks/digits; each Han, kana,
               Thai, Lao, Khmer or Myanmar character is one token).
  ROUGE-N      clipped count of n-grams shared with the target; precision = shared / n-grams in the
               prediction, recall = shared / n-grams in the target.
  ROUGE-L      LCS = longest common subsequence of the token sequences; precision = LCS / prediction
               length, recall = LCS / target length.
  ROUGE-Lsum   summary-level LCS: texts split into sentences on newlines; for each target sentence the
               union of its LCS with every prediction sentence; a token is a hit while unused copies
               remain on both sides (ROUGE-1.5.5); precision / recall over all prediction / target
               tokens.
  f1           2PR / (P + R), 0 when P + R = 0. Argument order is (target, prediction).
`;

export const rouge: Command & { run(argv: string[], io?: CommandOutput): Promise<number> } = {
  name: "rouge",
  summary: "ROUGE-1/2/L/Lsum of predictions against targets, as Python rouge-score",
  help: HELP,
  options: ROUGE_COMMAND_OPTIONS,
  async run(argv: string[], io: CommandOutput = processOutput) {
    const { options: values, positionals } = parseOptions(ROUGE_COMMAND_OPTIONS, argv, 2);
    const output = values.output ?? undefined;
    const options = { stem: values.stem, tokenizer: values.tokenizer, maxTokens: values.maxTextTokens };
    const line = (targets: string[], prediction: string) =>
      `${JSON.stringify(rougeMax(targets, prediction, options))}\n`;

    if (!values.jsonl) {
      if (positionals.length !== 2)
        throw new UsageError("give <target> <prediction>, or --jsonl [FILE] (see --help)");
      const [target, prediction] = positionals as [string, string];
      await writeOutput(
        output,
        (emit) =>
          emit(
            scoreOrRefuse(
              () => line([target], prediction),
              (e) => new UsageError(`${e.side}: ${e.reason}; raise it with --max-text-tokens`),
            ),
          ),
        io,
      );
      return 0;
    }
    if (positionals.length > 1) throw new UsageError("--jsonl takes at most one FILE");
    return exitOnDataError(
      "rouge",
      async () => {
        await writeOutput(
          output,
          async (emit) => {
            const source = toSource(positionals[0] ?? "-");
            let pairs = 0;
            for await (const { pair, at } of readRecords(source, (v, at) => ({
              pair: parseRougePair(v, at),
              at,
            }))) {
              pairs++;
              const field = pair.targets.length === 1 ? "target" : "targets";
              const refuse = (e: RougeLengthError) =>
                new DataError(
                  at,
                  e.side === "target" ? field : "prediction",
                  `${e.reason}; raise it with --max-text-tokens`,
                );
              await emit(scoreOrRefuse(() => line(pair.targets, pair.prediction), refuse));
            }
            if (pairs === 0) throw new DataError({ file: source.name, line: null }, "(file)", "no pairs");
          },
          io,
        );
        return 0;
      },
      io,
    );
  },
};

/** The pair's line, or, for a text over --max-tokens, the command's own kind of error. */
function scoreOrRefuse(score: () => string, refuse: (err: RougeLengthError) => Error): string {
  try {
    return score();
  } catch (err) {
    if (err instanceof RougeLengthError) throw refuse(err);
    throw err;
  }
}

// `calign tokens`: a debug view of how a prompt/completion pair is tokenized for scoring and
// generation, one token a line, with the boundary between prompt and completion marked.
import { type OptionSchema, schemaHelp } from "../../config/index.js";
import { CHAT, MODEL_PATH } from "../../config/shared-options.js";
import { completionIds, promptIds } from "../../models/index.js";
import { type Command, UsageError } from "../command.js";
import { loadModelTokenizer } from "../model-inputs.js";
import { parseOptions } from "../parse-options.js";

export const TOKENS_OPTIONS = {
  model: { ...MODEL_PATH, help: `${MODEL_PATH.help} (required; weights are not read)` },
  chat: CHAT,
  json: { type: "boolean", default: false, help: "one JSON object per token instead of the table" },
} as const satisfies OptionSchema;

const HELP = `Usage: calign tokens --model PATH [--chat] PROMPT [COMPLETION]

Shows each token of PROMPT and, if given, COMPLETION as calign feeds them to the model: the prompt
with the tokenizer's special tokens (BOS), the completion tokenized separately without any, their ids
concatenated. One line per token:
  position  id  part  token (the vocabulary string, JSON-quoted)  text (what it decodes to)
and a marker line where the completion begins.

Options:
${schemaHelp(TOKENS_OPTIONS)}
`;

export const tokens: Command = {
  name: "tokens",
  summary: "show the tokens of a prompt/completion pair and where the boundary falls",
  help: HELP,
  options: TOKENS_OPTIONS,
  async run(argv) {
    const { options: v, positionals } = parseOptions(TOKENS_OPTIONS, argv, 2);
    if (positionals.length < 1) throw new UsageError("give PROMPT and optionally COMPLETION (see --help)");
    const tok = loadModelTokenizer(v.model);
    const prompt = promptIds(tok, positionals[0]!, v.chat);
    const completion = positionals[1] === undefined ? [] : completionIds(tok, positionals[1]);
    const rows = [
      ...prompt.map((id) => ({ id, part: "prompt" })),
      ...completion.map((id) => ({ id, part: "completion" })),
    ];
    const out: string[] = [];
    rows.forEach(({ id, part }, pos) => {
      const token = tok.idToToken(id) ?? "";
      const text = tok.decode([id]);
      if (v.json) {
        out.push(JSON.stringify({ position: pos, id, part, token, text }));
        return;
      }
      if (pos === prompt.length) out.push("---- completion starts here ----");
      out.push(
        `${String(pos).padStart(5)}  ${String(id).padStart(7)}  ${part.padEnd(10)}  ${JSON.stringify(token).padEnd(16)}  ${JSON.stringify(text)}`,
      );
    });
    if (!v.json) out.push(`${prompt.length} prompt tokens, ${completion.length} completion tokens`);
    process.stdout.write(`${out.join("\n")}\n`);
    return 0;
  },
};

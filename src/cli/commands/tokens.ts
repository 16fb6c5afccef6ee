// `calign tokens`: a debug view of how a prompt/completion pair is tokenized for scoring and
// generation, one token a line, with the boundary between prompt and completion marked.
import { completionIds, promptIds } from "../../models/index.js";
import { type Command, UsageError } from "../command.js";
import { loadTokenizerFlag } from "../model-flags.js";
import { parseFlags } from "../parse-flags.js";

const HELP = `Usage: calign tokens --model PATH [--chat] PROMPT [COMPLETION]

Shows each token of PROMPT and, if given, COMPLETION as calign feeds them to the model: the prompt
with the tokenizer's special tokens (BOS), the completion tokenized separately without any, their ids
concatenated. One line per token:
  position  id  part  token (the vocabulary string, JSON-quoted)  text (what it decodes to)
and a marker line where the completion begins.

Options:
  --model PATH   Hugging Face folder with tokenizer.json, or a .gguf file (required; weights are not read)
  --chat         wrap PROMPT as one user message through the chat template (default: the text as is)
  --json         one JSON object per token instead of the table
  -h, --help     show this help
`;

export const tokens: Command = {
  name: "tokens",
  summary: "show the tokens of a prompt/completion pair and where the boundary falls",
  help: HELP,
  async run(argv) {
    const { values: v, positionals } = parseFlags(
      argv,
      { model: { type: "string" }, chat: { type: "boolean" }, json: { type: "boolean" } },
      true,
    );
    if (positionals.length < 1 || positionals.length > 2)
      throw new UsageError("give PROMPT and optionally COMPLETION (see --help)");
    const tok = loadTokenizerFlag(v.model);
    const prompt = promptIds(tok, positionals[0]!, v.chat === true);
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

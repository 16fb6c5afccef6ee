// Reads preference data into token ids: TRL's {"prompt","chosen","rejected"} (strings or message lists,
// prompt optional when implicit) and calign's ranked lists {"prompt","responses","rewards"}. Each
// response is tokenized apart from the prompt exactly as SFT tokenizes a completion (chat through the
// template, EOS closing it), and every response of an example is cut by the same rule.
import { DataError, type Location, parseRankedList, parseTrlPreference, readJsonl } from "../data/index.js";
import type { Tokenizer } from "../tokenizers/index.js";
import { splitImplicitPrompt } from "./preference-implicit-prompt.js";
import { closeCompletion, encodePromptCompletion } from "./sft-examples.js";

export interface PreferenceExample {
  prompt: number[];
  /** Each response's completion ids, in the file's order (a TRL pair is [chosen, rejected]). */
  responses: number[][];
  /** Higher is better; a TRL pair is [1, 0]. */
  rewards: number[];
  /** The responses with the highest and the lowest reward: what pairwise losses and metrics compare. */
  chosen: number;
  rejected: number;
  at: Location;
}

export interface PreferenceDataOptions {
  /** Prompt plus any one response, in tokens. */
  maxLength: number;
  /** Wrap plain-string prompts as a user message through the chat template. */
  chat: boolean;
  eosId: number;
  /** Pairwise losses take pairs only: a ranked list of more than two responses is an error. */
  pairsOnly: boolean;
}

export interface PreferenceTruncation {
  examples: number;
  /** Examples with at least one response cut to fit max length. */
  truncated: number;
  /** Responses cut, over all examples. */
  responsesTruncated: number;
  /** Examples whose chosen and rejected ids are the same (after any cut): they carry no preference. */
  identical: number;
}

type Text = Parameters<typeof encodePromptCompletion>[1];

function tokenize(tok: Tokenizer, value: unknown, at: Location, opts: PreferenceDataOptions) {
  let prompt: Text;
  let responses: { text: Text; field: string }[];
  let rewards: number[];
  const isList = typeof value === "object" && value !== null && "responses" in value;
  if (isList) {
    const list = parseRankedList(value, at);
    if (opts.pairsOnly && list.responses.length > 2)
      throw new DataError(
        at,
        "responses",
        `a ranked list of ${list.responses.length} responses needs --loss ranking (pairwise losses take pairs)`,
      );
    prompt = list.prompt;
    responses = list.responses.map((text, i) => ({ text, field: `responses[${i}]` }));
    rewards = list.rewards;
  } else {
    const pair = parseTrlPreference(value, at);
    const split =
      pair.prompt === undefined
        ? splitImplicitPrompt(pair.chosen, pair.rejected, at)
        : { prompt: pair.prompt, chosen: pair.chosen, rejected: pair.rejected };
    prompt = split.prompt;
    responses = [
      { text: split.chosen, field: "chosen" },
      { text: split.rejected, field: "rejected" },
    ];
    rewards = [1, 0];
  }
  let promptIds: number[] = [];
  const ids = responses.map(({ text, field }) => {
    const enc = encodePromptCompletion(tok, prompt, text, at, field, opts.chat);
    closeCompletion(enc.prompt, enc.completion, at, field, opts.eosId);
    promptIds = enc.prompt;
    return enc.completion;
  });
  return { prompt: promptIds, responses: ids, rewards };
}

const argBy = (xs: number[], better: (a: number, b: number) => boolean) =>
  xs.reduce((best, x, i) => (better(x, xs[best] as number) ? i : best), 0);

const sameIds = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * All examples of a file. A prompt that leaves no room for a response is an error naming the line;
 * responses longer than the room left are all cut to that room (never dropped) and counted.
 */
export async function readPreferenceExamples(
  path: string,
  tok: Tokenizer,
  opts: PreferenceDataOptions,
): Promise<{ examples: PreferenceExample[]; truncation: PreferenceTruncation }> {
  const examples: PreferenceExample[] = [];
  const truncation: PreferenceTruncation = { examples: 0, truncated: 0, responsesTruncated: 0, identical: 0 };
  for await (const { value, at } of readJsonl(path)) {
    const { prompt, responses, rewards } = tokenize(tok, value, at, opts);
    if (prompt.length >= opts.maxLength)
      throw new DataError(
        at,
        "prompt",
        `is ${prompt.length} tokens, no room for a response within max length ${opts.maxLength}`,
      );
    const room = opts.maxLength - prompt.length;
    const cut = responses.filter((r) => r.length > room).length;
    if (cut > 0) truncation.truncated++;
    truncation.responsesTruncated += cut;
    const ex: PreferenceExample = {
      prompt,
      responses: responses.map((r) => r.slice(0, room)),
      rewards,
      chosen: argBy(rewards, (a, b) => a > b),
      rejected: argBy(rewards, (a, b) => a < b),
      at,
    };
    if (sameIds(ex.responses[ex.chosen] as number[], ex.responses[ex.rejected] as number[]))
      truncation.identical++;
    examples.push(ex);
  }
  if (examples.length === 0) throw new DataError({ file: path, line: null }, "(file)", "no examples");
  truncation.examples = examples.length;
  return { examples, truncation };
}

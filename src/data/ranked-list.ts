// calign's ranked-list format for ranking losses (RRHF style): one prompt, k >= 2 responses and one
// reward per response, higher is better. Responses are strings or message lists, like TRL's
// completions; this is what stage 2's candidate sampling and self-reward scoring produce.
//   {"prompt": "...", "responses": ["...", "...", "..."], "rewards": [0.9, 0.2, 0.5]}
import type { ChatMessage } from "../tokenizers/index.js";
import { parseTextOrMessages } from "./chat.js";
import type { Location } from "./errors.js";
import { Fields } from "./fields.js";

export interface RankedList {
  prompt: string | ChatMessage[];
  responses: (string | ChatMessage[])[];
  rewards: number[];
}

export function parseRankedList(value: unknown, at: Location): RankedList {
  const f = Fields.of(value, at);
  const prompt = parseTextOrMessages(f, "prompt");
  // Each response read as its own field, so errors name it: responses[1][0].role.
  const responses = f
    .array("responses")
    .map((r, i) => parseTextOrMessages(Fields.of({ [`responses[${i}]`]: r }, at), `responses[${i}]`));
  if (responses.length < 2)
    f.fail("responses", `needs at least 2 responses to rank, got ${responses.length}`);
  const rewards = f.numberArray("rewards");
  rewards.forEach((r, i) => {
    if (!Number.isFinite(r)) f.fail(`rewards[${i}]`, `must be finite, got ${r}`);
  });
  if (rewards.length !== responses.length)
    f.fail("rewards", `has ${rewards.length} values for ${responses.length} responses`);
  if (rewards.every((r) => r === rewards[0])) f.fail("rewards", "are all equal: nothing to rank");
  return { prompt, responses, rewards };
}

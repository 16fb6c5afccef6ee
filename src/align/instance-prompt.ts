// How an instruction wording and an instance input become one prompt: the wording's `{input}`
// placeholder is replaced when it has one (so a wording can put the input first), otherwise the input
// follows the instruction after a blank line, as Super-NaturalInstructions-style prompts do.
import type { Prompt } from "../backends/index.js";
import { INPUT_PLACEHOLDER } from "../tasks/wordings.js";

// The placeholder belongs to the task layer's wordings; align's modules take it from here.
export { INPUT_PLACEHOLDER };

export function instancePrompt(wording: string, input: string): string {
  if (wording.includes(INPUT_PLACEHOLDER)) return wording.replaceAll(INPUT_PLACEHOLDER, () => input); // a function: "$&" in the input stays literal
  return input === "" ? wording : `${wording}\n\n${input}`;
}

/** As a chat (one user message) when the model is used through its chat template. */
export function asPrompt(text: string, chat: boolean): Prompt {
  return chat ? [{ role: "user", content: text }] : text;
}

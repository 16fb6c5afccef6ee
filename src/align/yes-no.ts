// A yes/no question answered by a model's next-token distribution instead of parsed text (method.md's
// self-reward; also the model judge inside CR): the probability of "Yes" normalised against "No".
import type { Prompt, TextScoreItem } from "../backends/index.js";

/** The two score items a question needs: its prompt completed by "Yes" and by "No". */
export function yesNoItems(prompt: Prompt): [TextScoreItem, TextScoreItem] {
  return [
    { prompt, completion: "Yes" },
    { prompt, completion: "No" },
  ];
}

/** P(Yes) / (P(Yes) + P(No)) from the two log-probabilities, computed stably. */
export function yesProbability(yesLogprob: number, noLogprob: number): number {
  return 1 / (1 + Math.exp(noLogprob - yesLogprob));
}

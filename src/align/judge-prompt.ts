// The self-reward judge's question (method.md): is this response a correct answer to this instruction?
// One definition for both of its uses: the reward stage scores "Yes" against "No" after it (wrapped by
// asPrompt, as the trainers wrap a plain-string prompt given `chat`), and stage 1's verification examples
// (verification-examples.ts) teach the model to answer it, so the judge is asked exactly what it was taught.
import { fillTemplate } from "./fill-template.js";

export const JUDGE_PROMPTS = [
  "Instruction: {prompt}\nResponse: {response}\nIs the response a correct answer to the instruction? Answer Yes or No.",
  "{prompt}\nProposed answer: {response}\nIs the proposed answer right? Reply with Yes or No.",
];

/** The judge's question about `response` to the instance prompt `prompt` (a wording with its input). */
export function judgeQuestion(template: string, prompt: string, response: string): string {
  return fillTemplate(template, { prompt, response });
}

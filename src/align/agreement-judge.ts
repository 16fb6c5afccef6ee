// The model judge inside CR (method.md: sim() may be "a model judge: do these two answers agree?"):
// any backend that can score is asked whether two responses agree, and P("Yes") is the answer.
// Wrap it with judgeSimilarity (metrics) to ask in both orders.
import type { Backend } from "../backends/index.js";
import type { Judge } from "../metrics/index.js";
import { fillTemplate } from "./fill-template.js";
import { asPrompt } from "./instance-prompt.js";
import { yesNoItems, yesProbability } from "./yes-no.js";

export const AGREEMENT_PROMPT =
  "Answer A: {a}\nAnswer B: {b}\nDo answers A and B say the same thing? Answer Yes or No.";

export interface AgreementJudgeOptions {
  /** The question, with {a} and {b} where the two responses go (default AGREEMENT_PROMPT). */
  prompt?: string;
  /** Ask as a user message through the model's chat template (default false: plain text). */
  chat?: boolean;
}

export function agreementJudge(backend: Backend, opts: AgreementJudgeOptions = {}): Judge {
  const template = opts.prompt ?? AGREEMENT_PROMPT;
  if (!template.includes("{a}") || !template.includes("{b}"))
    throw new Error(`the agreement prompt needs {a} and {b}: ${JSON.stringify(template)}`);
  return async (a, b) => {
    const [yes, no] = await backend.score(
      yesNoItems(asPrompt(fillTemplate(template, { a, b }), opts.chat ?? false)),
    );
    return yesProbability(yes!.logprob, no!.logprob);
  };
}

// --no-stem and --tokenizer mean the same in every command that scores with ROUGE (rouge, metrics).
import type { RougeOptions } from "../metrics/rouge.js";
import { UsageError } from "./command.js";

export function rougeFlags(values: { "no-stem"?: boolean; tokenizer?: string }): RougeOptions {
  const tokenizer = values.tokenizer ?? "default";
  if (tokenizer !== "default" && tokenizer !== "unicode")
    throw new UsageError(`--tokenizer must be default or unicode, got '${tokenizer}'`);
  return { stem: values["no-stem"] !== true, tokenizer };
}

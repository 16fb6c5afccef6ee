// Chat templates (the Jinja in tokenizer_config.json or GGUF's tokenizer.chat_template), rendered
// with @huggingface/jinja as transformers' apply_chat_template does, and tokenized without adding
// BOS a second time: templates usually write the BOS text themselves.
import { Template } from "@huggingface/jinja";
import type { Tokenizer } from "./tokenizer.js";

/** A chat message with text content, as chat templates, TRL data, the OpenAI API and backends take it. */
export interface ChatMessage {
  role: string;
  content: string;
}

export interface ChatTemplateOptions {
  /** End with the assistant's turn header so the model continues as the assistant (default true). */
  addGenerationPrompt?: boolean;
  /** Extra template variables (tools, date_string, ...). */
  variables?: Record<string, unknown>;
}

const compiled = new Map<string, Template>();

export function renderChatTemplate(
  tokenizer: Tokenizer,
  messages: readonly ChatMessage[],
  options: ChatTemplateOptions = {},
): string {
  const source = tokenizer.chatTemplate;
  if (source === undefined) throw new Error("renderChatTemplate: this tokenizer has no chat template");
  let template = compiled.get(source);
  if (template === undefined) {
    template = new Template(source);
    compiled.set(source, template);
  }
  return template.render({
    ...options.variables,
    messages,
    add_generation_prompt: options.addGenerationPrompt ?? true,
    bos_token: tokenizer.bosToken ?? "",
    eos_token: tokenizer.eosToken ?? "",
    pad_token: tokenizer.padToken ?? "",
  });
}

/**
 * Token ids of a rendered chat: the text's own special tokens are parsed, BOS is prepended only if
 * the tokenizer adds one and the text does not already start with it, and no EOS is appended.
 */
export function encodeChat(
  tokenizer: Tokenizer,
  messages: readonly ChatMessage[],
  options: ChatTemplateOptions = {},
): number[] {
  const ids = tokenizer.encode(renderChatTemplate(tokenizer, messages, options), { addSpecialTokens: false });
  const bos = tokenizer.bosId;
  if (tokenizer.addsBos && bos !== undefined && ids[0] !== bos) ids.unshift(bos);
  return ids;
}

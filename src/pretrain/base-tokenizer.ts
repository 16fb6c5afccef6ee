// The base model's tokenizer: byte-level BPE trained on the corpus, with the special tokens and the
// chat template every model calign derives from it (SFT, SFT(IA), CAT) inherits. Role markers are
// added tokens, so a turn header is one token the corpus never spells out.
import type { Spec } from "../tokenizers/json-spec.js";
import { trainBpe } from "../tokenizers/train-bpe.js";

export const BOS = "<s>";
export const EOS = "</s>";
export const PAD = "<pad>";
const ROLES = ["system", "user", "assistant"] as const;
export const SPECIAL_TOKENS = [PAD, BOS, EOS, ...ROLES.map((r) => `<|${r}|>`)];

/** Each turn is its role marker, a newline and the text; an assistant turn ends with EOS. */
export const CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] }}" +
  "{% if message['role'] == 'assistant' %}{{ eos_token }}{% endif %}{{ '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

export interface BaseTokenizerFiles {
  tokenizerJson: Spec;
  tokenizerConfig: Spec;
  /** Token ids of BOS, EOS and PAD, for config.json and generation_config.json. */
  ids: { bos: number; eos: number; pad: number };
}

export function trainBaseTokenizer(
  texts: Iterable<string>,
  o: { vocabSize: number; splitDigits: boolean; minFrequency: number; modelMaxLength: number },
): BaseTokenizerFiles {
  const { tokenizerJson } = trainBpe(texts, {
    vocabSize: o.vocabSize,
    specialTokens: SPECIAL_TOKENS,
    splitDigits: o.splitDigits,
    minFrequency: o.minFrequency,
    bosToken: BOS,
  });
  const id = (t: string) => SPECIAL_TOKENS.indexOf(t);
  return {
    tokenizerJson,
    tokenizerConfig: {
      tokenizer_class: "PreTrainedTokenizerFast",
      bos_token: BOS,
      eos_token: EOS,
      pad_token: PAD,
      add_bos_token: true,
      add_eos_token: false,
      model_max_length: o.modelMaxLength,
      chat_template: CHAT_TEMPLATE,
    },
    ids: { bos: id(BOS), eos: id(EOS), pad: id(PAD) },
  };
}

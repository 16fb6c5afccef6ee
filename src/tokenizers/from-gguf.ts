// Builds a Tokenizer from GGUF metadata (tokenizer.ggml.*), as llama.cpp reads it:
// - "llama": SentencePiece BPE over tokens + scores, "▁" for spaces, a "▁" prefix unless
//   tokenizer.ggml.add_space_prefix is false, <0xXX> byte fallback, BOS added by default;
// - "gpt2": byte-level BPE over tokens + merges, with the pre-tokenizer regexes named by
//   tokenizer.ggml.pre, BOS added only for Llama 3-style vocabularies or when the metadata says so.
// Control and unknown tokens (token_type 3, 2) are special; user-defined ones (4) are added tokens.
import type { GgufFile } from "../io/gguf-file.js";
import { GGUF_TOKEN_TYPE } from "../io/gguf-types.js";
import { ModelFileError } from "../io/model-file-error.js";
import type { AddedToken } from "./added-tokens.js";
import { BpeModel } from "./bpe-model.js";
import { buildDecoder } from "./decoders.js";
import type { Spec } from "./json-spec.js";
import { buildNormalizer } from "./normalizers.js";
import { buildPreTokenizer } from "./pre-tokenizers.js";
import { LLAMA3_PATTERN, QWEN2_PATTERN } from "./rust-regex.js";
import { Tokenizer } from "./tokenizer.js";

const isolate = (Regex: string): Spec => ({
  type: "Split",
  pattern: { Regex },
  behavior: "Isolated",
  invert: false,
});
const byteLevel = (useRegex: boolean): Spec => ({
  type: "ByteLevel",
  add_prefix_space: false,
  use_regex: useRegex,
});

/** llama.cpp pre-tokenizer names → tokenizer.json pre-tokenizers with the same splits. */
const BPE_PRE: Record<string, { pre: Spec; ignoreMerges?: boolean; addBos?: boolean }> = {
  default: { pre: byteLevel(true) },
  "gpt-2": { pre: byteLevel(true) },
  "llama-bpe": {
    pre: { type: "Sequence", pretokenizers: [isolate(LLAMA3_PATTERN), byteLevel(false)] },
    ignoreMerges: true,
    addBos: true,
  },
  qwen2: { pre: { type: "Sequence", pretokenizers: [isolate(QWEN2_PATTERN), byteLevel(false)] } },
  smollm: {
    pre: { type: "Sequence", pretokenizers: [{ type: "Digits", individual_digits: true }, byteLevel(true)] },
  },
};
BPE_PRE.llama3 = BPE_PRE["llama-v3"] = BPE_PRE["llama-bpe"]!;
BPE_PRE.gpt2 = BPE_PRE["gpt-2"]!;

export function tokenizerFromGguf(gguf: GgufFile): Tokenizer {
  const kind = gguf.get("tokenizer.ggml.model");
  const g = ggufVocab(gguf);
  if (kind === "llama") return sentencePieceFromGguf(g);
  if (kind === "gpt2") return byteLevelFromGguf(g);
  throw g.fail(`tokenizer.ggml.model ${JSON.stringify(kind)} is not supported (llama, gpt2)`);
}

/** What both tokenizer kinds read from tokenizer.ggml.*: tokens, their types, the special tokens. */
function ggufVocab(gguf: GgufFile) {
  const fail = (msg: string) => new ModelFileError(gguf.path, msg);
  const tokens = gguf.get("tokenizer.ggml.tokens");
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "string"))
    throw fail("tokenizer.ggml.tokens is missing or not a string array");
  const vocab = tokens as string[];
  const types = numbers(gguf.get("tokenizer.ggml.token_type")) ?? [];
  const idOf = (key: string) => {
    const v = gguf.get(`tokenizer.ggml.${key}`);
    return v === undefined ? undefined : Number(v);
  };
  const flag = (key: string) => {
    const v = gguf.get(`tokenizer.ggml.${key}`);
    return typeof v === "boolean" ? v : undefined;
  };
  const added: AddedToken[] = [];
  types.forEach((type, id) => {
    if (
      type === GGUF_TOKEN_TYPE.control ||
      type === GGUF_TOKEN_TYPE.unknown ||
      type === GGUF_TOKEN_TYPE.userDefined
    ) {
      added.push({ id, content: vocab[id]!, special: type !== GGUF_TOKEN_TYPE.userDefined });
    }
  });
  const bos = idOf("bos_token_id");
  const eos = idOf("eos_token_id");
  const pad = idOf("padding_token_id");
  const common = {
    addedTokens: added,
    bosToken: bos === undefined ? undefined : vocab[bos],
    eosToken: eos === undefined ? undefined : vocab[eos],
    padToken: pad === undefined ? undefined : vocab[pad],
    chatTemplate:
      typeof gguf.get("tokenizer.chat_template") === "string"
        ? (gguf.get("tokenizer.chat_template") as string)
        : undefined,
  };
  const specials = (addBos: boolean) => ({
    prefix: (flag("add_bos_token") ?? addBos) && bos !== undefined ? [bos] : [],
    suffix: (flag("add_eos_token") ?? false) && eos !== undefined ? [eos] : [],
  });
  return { gguf, fail, vocab, types, idOf, flag, common, specials };
}

type GgufVocab = ReturnType<typeof ggufVocab>;

function sentencePieceFromGguf({ gguf, fail, vocab, types, idOf, flag, common, specials }: GgufVocab) {
  const scores = numbers(gguf.get("tokenizer.ggml.scores"));
  if (scores === undefined || scores.length !== vocab.length)
    throw fail("tokenizer.ggml.scores is missing or does not match the tokens");
  const unk = idOf("unknown_token_id") ?? types.indexOf(GGUF_TOKEN_TYPE.unknown);
  const spacePrefix = flag("add_space_prefix") ?? true;
  const replace = (from: string, to: string): Spec => ({
    type: "Replace",
    pattern: { String: from },
    content: to,
  });
  return new Tokenizer({
    ...common,
    ...specials(true),
    kind: "sentencepiece",
    model: new BpeModel({ vocab, scores, byteFallback: true, unkToken: unk >= 0 ? vocab[unk] : undefined }),
    normalizer: buildNormalizer({
      type: "Sequence",
      normalizers: [...(spacePrefix ? [{ type: "Prepend", prepend: "▁" }] : []), replace(" ", "▁")],
    }),
    decoder: buildDecoder({
      type: "Sequence",
      decoders: [
        replace("▁", " "),
        { type: "ByteFallback" },
        { type: "Fuse" },
        ...(spacePrefix ? [{ type: "Strip", content: " ", start: 1, stop: 0 }] : []),
      ],
    }),
  });
}

function byteLevelFromGguf({ gguf, fail, vocab, common, specials }: GgufVocab) {
  const preName = String(gguf.get("tokenizer.ggml.pre") ?? "default");
  const pre = BPE_PRE[preName];
  if (pre === undefined)
    throw fail(
      `tokenizer.ggml.pre ${JSON.stringify(preName)} is not supported (${Object.keys(BPE_PRE).join(", ")})`,
    );
  const merges = gguf.get("tokenizer.ggml.merges");
  if (!Array.isArray(merges)) throw fail("tokenizer.ggml.merges is missing");
  return new Tokenizer({
    ...common,
    ...specials(pre.addBos ?? false),
    kind: "byte-level",
    model: new BpeModel({
      vocab,
      merges: merges.map((m) => {
        const s = String(m);
        const i = s.indexOf(" ", 1);
        return [s.slice(0, i), s.slice(i + 1)] as const;
      }),
      ignoreMerges: pre.ignoreMerges ?? false,
    }),
    preTokenizer: buildPreTokenizer(pre.pre),
    decoder: buildDecoder({ type: "ByteLevel" }),
    ggufPre: preName === "default" || preName === "gpt2" ? "gpt-2" : preName,
  });
}

function numbers(v: unknown): number[] | undefined {
  return Array.isArray(v) ? v.map(Number) : undefined;
}

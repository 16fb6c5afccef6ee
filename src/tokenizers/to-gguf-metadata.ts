// The tokenizer.ggml.* metadata llama.cpp needs to run a calign tokenizer, for the GGUF writer.
// Byte-level tokenizers export as "gpt2" (tokens + merges + pre-tokenizer name); SentencePiece
// ones as "llama" (tokens + scores, where a merged token's score is minus its merge rank, so
// llama.cpp's score-ordered merging follows the merge list).
import { GGUF_TOKEN_TYPE, type GgufValue } from "../io/gguf-types.js";
import type { Tokenizer } from "./tokenizer.js";

const BYTE_TOKEN = /^<0x[0-9A-F]{2}>$/;

export function tokenizerToGgufMetadata(tok: Tokenizer): Map<string, GgufValue> {
  const n = tok.vocabSize;
  const tokens: string[] = [];
  const types: number[] = [];
  for (let id = 0; id < n; id++) {
    const t = tok.idToToken(id);
    // GGUF has no holes: an id without a token becomes an unused placeholder.
    tokens.push(t ?? `[PAD${id}]`);
    const added = tok.addedTokens.find((a) => a.id === id);
    types.push(
      t === undefined
        ? GGUF_TOKEN_TYPE.unused
        : added !== undefined
          ? added.special
            ? GGUF_TOKEN_TYPE.control
            : GGUF_TOKEN_TYPE.userDefined
          : tok.kind === "sentencepiece" && BYTE_TOKEN.test(t)
            ? GGUF_TOKEN_TYPE.byte
            : GGUF_TOKEN_TYPE.normal,
    );
  }
  const unk = tok.model.unkId;
  if (unk !== undefined) types[unk] = GGUF_TOKEN_TYPE.unknown;
  const merges = tok.model.merges ?? [];
  const m = new Map<string, GgufValue>([
    ["tokenizer.ggml.model", { type: "string", value: tok.kind === "byte-level" ? "gpt2" : "llama" }],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", value: tokens }],
    ["tokenizer.ggml.token_type", { type: "array", itemType: "i32", value: types }],
  ]);
  if (tok.kind === "byte-level") {
    if (tok.ggufPre === undefined)
      throw new Error("tokenizerToGgufMetadata: the pre-tokenizer has no llama.cpp equivalent");
    m.set("tokenizer.ggml.pre", { type: "string", value: tok.ggufPre });
    m.set("tokenizer.ggml.merges", {
      type: "array",
      itemType: "string",
      value: merges.map(([a, b]) => `${a} ${b}`),
    });
  } else {
    const scores = new Array<number>(n).fill(0);
    const seen = new Set<number>();
    merges.forEach(([a, b], rank) => {
      const id = tok.model.tokenToId.get(a + b)!;
      if (!seen.has(id)) scores[id] = -(rank + 1);
      seen.add(id);
    });
    if (tok.model.scores !== undefined) for (let i = 0; i < n; i++) scores[i] = tok.model.scores[i] ?? 0;
    m.set("tokenizer.ggml.scores", { type: "array", itemType: "f32", value: scores });
    const first = tok.idToToken(tok.encode("a", { addSpecialTokens: false })[0]!) ?? "";
    m.set("tokenizer.ggml.add_space_prefix", { type: "bool", value: first.startsWith("▁") });
  }
  const ids: Array<[string, number | undefined]> = [
    ["bos_token_id", tok.bosId],
    ["eos_token_id", tok.eosId],
    ["padding_token_id", tok.padId],
    ["unknown_token_id", unk],
  ];
  for (const [key, id] of ids)
    if (id !== undefined) m.set(`tokenizer.ggml.${key}`, { type: "u32", value: id });
  m.set("tokenizer.ggml.add_bos_token", { type: "bool", value: tok.addsBos });
  m.set("tokenizer.ggml.add_eos_token", {
    type: "bool",
    value: tok.eosId !== undefined && tok.suffix.at(-1) === tok.eosId,
  });
  if (tok.chatTemplate !== undefined)
    m.set("tokenizer.chat_template", { type: "string", value: tok.chatTemplate });
  return m;
}

// Builds a Tokenizer from a Hugging Face tokenizer.json (model type BPE), with tokenizer_config.json
// for the special-token names and the chat template.
import type { AddedToken } from "./added-tokens.js";
import { BpeModel } from "./bpe-model.js";
import { buildDecoder } from "./decoders.js";
import type { Spec } from "./json-spec.js";
import { buildNormalizer } from "./normalizers.js";
import { buildPreTokenizer } from "./pre-tokenizers.js";
import { GPT2_PATTERN, LLAMA3_PATTERN, QWEN2_PATTERN } from "./rust-regex.js";
import { Tokenizer } from "./tokenizer.js";

export function tokenizerFromJson(json: Spec, config: Spec = {}, chatTemplate?: string): Tokenizer {
  const model = json.model as Spec | undefined;
  if (model?.type !== "BPE")
    throw new Error(`tokenizer.json: model type ${JSON.stringify(model?.type)} is not supported (only BPE)`);
  for (const key of ["continuing_subword_prefix", "end_of_word_suffix"]) {
    if (model[key])
      throw new Error(`tokenizer.json: BPE ${key} ${JSON.stringify(model[key])} is not supported`);
  }
  if (model.dropout)
    throw new Error("tokenizer.json: BPE dropout is not supported (calign tokenizes deterministically)");
  const vocabObj = model.vocab as Record<string, number>;
  const added = ((json.added_tokens ?? []) as Spec[]).map(addedToken);
  const vocab: Array<string | undefined> = [];
  for (const [token, id] of Object.entries(vocabObj)) vocab[id] = token;
  const merges = ((model.merges ?? []) as Array<string | [string, string]>).map((m): [string, string] => {
    if (Array.isArray(m)) return [m[0], m[1]];
    const i = m.indexOf(" ", 1); // "a b"; the first character may itself be a space in odd vocabularies
    return [m.slice(0, i), m.slice(i + 1)];
  });
  const bpe = new BpeModel({
    vocab,
    merges,
    byteFallback: model.byte_fallback === true,
    unkToken: typeof model.unk_token === "string" ? model.unk_token : undefined,
    fuseUnk: model.fuse_unk === true,
    ignoreMerges: model.ignore_merges === true,
  });
  const decoder = json.decoder as Spec | null | undefined;
  const { prefix, suffix } = specialsAround(
    (json.post_processor as Spec | null) ?? null,
    (t) => tokenId(bpe, added, t),
    config,
  );
  const template =
    chatTemplate ?? (typeof config.chat_template === "string" ? config.chat_template : undefined);
  return new Tokenizer({
    model: bpe,
    kind: decoder?.type === "ByteLevel" ? "byte-level" : "sentencepiece",
    normalizer: buildNormalizer(json.normalizer as Spec | null),
    preTokenizer: buildPreTokenizer(json.pre_tokenizer as Spec | null),
    decoder: buildDecoder(decoder),
    addedTokens: added,
    prefix,
    suffix,
    bosToken: tokenName(config.bos_token),
    eosToken: tokenName(config.eos_token),
    padToken: tokenName(config.pad_token),
    chatTemplate: template,
    ggufPre: ggufPreOf(json.pre_tokenizer as Spec | null),
  });
}

function addedToken(s: Spec): AddedToken {
  return {
    id: Number(s.id),
    content: String(s.content),
    special: s.special === true,
    lstrip: s.lstrip === true,
    rstrip: s.rstrip === true,
    singleWord: s.single_word === true,
  };
}

function tokenId(bpe: BpeModel, added: AddedToken[], token: string): number {
  const id = added.find((t) => t.content === token)?.id ?? bpe.tokenToId.get(token);
  if (id === undefined)
    throw new Error(`tokenizer.json: special token ${JSON.stringify(token)} is not in the vocabulary`);
  return id;
}

/** tokenizer_config.json names tokens as strings or as {"content": ...} objects. */
function tokenName(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "object" && v !== null && typeof (v as Spec).content === "string")
    return (v as Spec).content as string;
  return undefined;
}

/**
 * The special tokens a post-processor puts around a single sequence. Without one, the slow
 * tokenizers' add_bos_token / add_eos_token flags of tokenizer_config.json decide.
 */
function specialsAround(
  pp: Spec | null,
  id: (token: string) => number,
  config: Spec,
): { prefix: number[]; suffix: number[] } {
  if (pp === null) {
    const bos = tokenName(config.bos_token);
    const eos = tokenName(config.eos_token);
    return {
      prefix: config.add_bos_token === true && bos !== undefined ? [id(bos)] : [],
      suffix: config.add_eos_token === true && eos !== undefined ? [id(eos)] : [],
    };
  }
  switch (pp.type) {
    case "ByteLevel":
      return { prefix: [], suffix: [] };
    case "Sequence": {
      const out = { prefix: [] as number[], suffix: [] as number[] };
      for (const p of pp.processors as Spec[]) {
        const r = specialsAround(p, id, config);
        out.prefix.push(...r.prefix);
        out.suffix.push(...r.suffix);
      }
      return out;
    }
    case "TemplateProcessing": {
      const specials = (pp.special_tokens ?? {}) as Record<string, { ids: number[] }>;
      const out = { prefix: [] as number[], suffix: [] as number[] };
      let seenSequence = false;
      for (const piece of pp.single as Spec[]) {
        if ("Sequence" in piece) {
          seenSequence = true;
          continue;
        }
        const name = String((piece.SpecialToken as Spec).id);
        const ids = specials[name]?.ids ?? [id(name)];
        (seenSequence ? out.suffix : out.prefix).push(...ids);
      }
      return out;
    }
    case "RobertaProcessing":
    case "BertProcessing": {
      const [cls] = pp.cls as [string, number];
      const [sep] = pp.sep as [string, number];
      return { prefix: [id(cls)], suffix: [id(sep)] };
    }
    default:
      throw new Error(`tokenizer.json: post_processor type ${JSON.stringify(pp.type)} is not supported`);
  }
}

/** The llama.cpp pre-tokenizer name for the regex families calign recognises (for GGUF export). */
function ggufPreOf(pre: Spec | null): string | undefined {
  const steps = pre === null ? [] : pre.type === "Sequence" ? (pre.pretokenizers as Spec[]) : [pre];
  const regex = (s: Spec | undefined) =>
    ((s?.pattern as Spec | undefined)?.Regex as string | undefined) ?? undefined;
  const [a, b] = steps;
  if (steps.length === 1 && a?.type === "ByteLevel" && a.use_regex !== false) return "gpt-2";
  if (steps.length === 2 && a?.type === "Split" && b?.type === "ByteLevel" && b.use_regex === false) {
    if (regex(a) === LLAMA3_PATTERN) return "llama-bpe";
    if (regex(a) === QWEN2_PATTERN) return "qwen2";
  }
  if (
    steps.length === 2 &&
    a?.type === "Digits" &&
    a.individual_digits === true &&
    b?.type === "ByteLevel" &&
    b.use_regex !== false
  )
    return "smollm";
  if (regex(a) === GPT2_PATTERN) return "gpt-2";
  return undefined;
}

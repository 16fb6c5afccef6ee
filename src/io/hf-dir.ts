// Hugging Face model folders: config.json, generation_config.json, tokenizer.json,
// tokenizer_config.json (special tokens, chat_template, or a chat_template.jinja file beside it),
// special_tokens_map.json, and weights in model.safetensors or a sharded
// model.safetensors.index.json. Reading opens the weights lazily; writing is per file atomic.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { ModelFileError } from "./model-file-error.js";
import { byteLength, type RawTensor } from "./raw-tensor.js";
import { readJsonObject, readOptionalJsonObject } from "./read-json.js";
import { SafetensorsFile } from "./safetensors-file.js";
import { writeSafetensors } from "./safetensors-write.js";
import { ShardedSafetensors } from "./sharded-safetensors.js";
import type { TensorSource } from "./tensor-source.js";

type Json = Record<string, unknown>;

export interface HfModelDir {
  dir: string;
  config: Json;
  generationConfig?: Json;
  tokenizerJson?: Json;
  tokenizerConfig?: Json;
  specialTokensMap?: Json;
  /** From tokenizer_config.json's chat_template (the "default" one when it is a list) or chat_template.jinja. */
  chatTemplate?: string;
  weights: TensorSource;
}

export function readHfDir(dir: string): HfModelDir {
  const config = readJsonObject(join(dir, "config.json"));
  const out: HfModelDir = { dir, config, ...readHfTokenizerFiles(dir), weights: openWeights(dir) };
  const generationConfig = readOptionalJsonObject(join(dir, "generation_config.json"));
  if (generationConfig !== undefined) out.generationConfig = generationConfig;
  return out;
}

export type HfTokenizerFiles = Pick<
  HfModelDir,
  "tokenizerJson" | "tokenizerConfig" | "specialTokensMap" | "chatTemplate"
>;

/** The tokenizer files of a folder (those present). */
export function readHfTokenizerFiles(dir: string): HfTokenizerFiles {
  const out: HfTokenizerFiles = {};
  const tokenizerJson = readOptionalJsonObject(join(dir, "tokenizer.json"));
  const tokenizerConfig = readOptionalJsonObject(join(dir, "tokenizer_config.json"));
  const specialTokensMap = readOptionalJsonObject(join(dir, "special_tokens_map.json"));
  const chatTemplate = chatTemplateOf(dir, tokenizerConfig);
  if (tokenizerJson !== undefined) out.tokenizerJson = tokenizerJson;
  if (tokenizerConfig !== undefined) out.tokenizerConfig = tokenizerConfig;
  if (specialTokensMap !== undefined) out.specialTokensMap = specialTokensMap;
  if (chatTemplate !== undefined) out.chatTemplate = chatTemplate;
  return out;
}

function openWeights(dir: string): TensorSource {
  const single = join(dir, "model.safetensors");
  const index = join(dir, "model.safetensors.index.json");
  if (existsSync(single)) return SafetensorsFile.open(single);
  if (existsSync(index)) return ShardedSafetensors.open(index);
  throw new ModelFileError(
    dir,
    "no model.safetensors or model.safetensors.index.json (PyTorch .bin weights are not supported)",
  );
}

function chatTemplateOf(dir: string, tokenizerConfig: Json | undefined): string | undefined {
  const t = tokenizerConfig?.chat_template;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) {
    const entry = t.find((e) => e?.name === "default") ?? t[0];
    if (typeof entry?.template === "string") return entry.template;
  }
  const file = join(dir, "chat_template.jinja");
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

export interface HfModelDirContents {
  config: Json;
  tensors: readonly RawTensor[];
  generationConfig?: Json;
  tokenizerJson?: Json;
  tokenizerConfig?: Json;
  specialTokensMap?: Json;
  /** Split weights into shards of at most this many bytes (default: one model.safetensors). */
  maxShardBytes?: number;
}

export function writeHfDir(dir: string, m: HfModelDirContents): void {
  mkdirSync(dir, { recursive: true });
  writeJsonAtomicSync(join(dir, "config.json"), m.config);
  const optional: Array<[Json | undefined, string]> = [
    [m.generationConfig, "generation_config.json"],
    [m.tokenizerJson, "tokenizer.json"],
    [m.tokenizerConfig, "tokenizer_config.json"],
    [m.specialTokensMap, "special_tokens_map.json"],
  ];
  for (const [value, file] of optional) if (value !== undefined) writeJsonAtomicSync(join(dir, file), value);
  const meta = { format: "pt" }; // what transformers writes, and checks for, on PyTorch checkpoints
  const shards = splitShards(m.tensors, m.maxShardBytes ?? Number.POSITIVE_INFINITY);
  if (shards.length <= 1) {
    writeSafetensors(join(dir, "model.safetensors"), shards[0] ?? [], meta);
    return;
  }
  const weightMap: Record<string, string> = {};
  let total = 0;
  shards.forEach((shard, i) => {
    const file = `model-${pad5(i + 1)}-of-${pad5(shards.length)}.safetensors`;
    writeSafetensors(join(dir, file), shard, meta);
    for (const t of shard) {
      weightMap[t.name] = file;
      total += byteLength(t.dtype, t.shape);
    }
  });
  writeJsonAtomicSync(join(dir, "model.safetensors.index.json"), {
    metadata: { total_size: total },
    weight_map: weightMap,
  });
}

function splitShards(tensors: readonly RawTensor[], max: number): RawTensor[][] {
  const shards: RawTensor[][] = [];
  let size = 0;
  for (const t of tensors) {
    const n = t.data.byteLength;
    const last = shards.at(-1);
    if (last === undefined || (size + n > max && last.length > 0)) {
      shards.push([t]);
      size = n;
    } else {
      last.push(t);
      size += n;
    }
  }
  return shards;
}

function pad5(n: number): string {
  return String(n).padStart(5, "0");
}

// Writer for GGUF version 3 (little-endian; version 2 has the same layout and can be requested for
// old readers): metadata with explicit wire types, tensor infos with dims fastest-varying first,
// and each tensor's data padded to the alignment, so llama.cpp and Ollama can load the file.
import { writeAll, writeFileAtomic } from "./file-io.js";
import {
  GGML_TYPE_BY_NAME,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VALUE_TYPES,
  type GgufValue,
  type GgufValueType,
} from "./gguf-types.js";
import { byteLength, type DType, type RawTensor } from "./raw-tensor.js";

/** Tensor dtypes written as-is (ggml has no unsigned or bool tensor types). */
const WRITABLE: ReadonlySet<DType> = new Set<DType>(["F32", "F16", "BF16", "F64", "I8", "I16", "I32", "I64"]);

export interface GgufWriteOptions {
  version?: 2 | 3;
  alignment?: number;
}

export function writeGguf(
  path: string,
  metadata: ReadonlyMap<string, GgufValue> | Record<string, GgufValue>,
  tensors: readonly RawTensor[],
  options: GgufWriteOptions = {},
): void {
  const version = options.version ?? 3;
  const alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  const entries = new Map(metadata instanceof Map ? metadata : Object.entries(metadata));
  if (alignment !== GGUF_DEFAULT_ALIGNMENT)
    entries.set("general.alignment", { type: "u32", value: alignment });
  else entries.delete("general.alignment");

  const out = new Chunks();
  out.u32(GGUF_MAGIC);
  out.u32(version);
  out.u64(BigInt(tensors.length));
  out.u64(BigInt(entries.size));
  for (const [key, v] of entries) {
    out.string(key);
    out.u32(typeId(v.type));
    writeValue(out, v.type, v.value, key, v.type === "array" ? v.itemType : undefined);
  }

  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    if (!WRITABLE.has(t.dtype))
      throw new Error(`writeGguf: tensor ${t.name}: dtype ${t.dtype} has no ggml type`);
    const n = byteLength(t.dtype, t.shape);
    if (t.data.byteLength !== n)
      throw new Error(
        `writeGguf: tensor ${t.name} has ${t.data.byteLength} bytes, shape [${t.shape}] needs ${n}`,
      );
    out.string(t.name);
    out.u32(t.shape.length);
    for (const d of [...t.shape].reverse()) out.u64(BigInt(d));
    out.u32(GGML_TYPE_BY_NAME.get(t.dtype)!.id);
    out.u64(BigInt(offset));
    offsets.push(offset);
    offset = align(offset + n, alignment);
  }
  const header = out.concat();
  writeFileAtomic(path, (fd) => {
    writeAll(fd, header);
    writeAll(fd, new Uint8Array(align(header.byteLength, alignment) - header.byteLength));
    let pos = 0;
    tensors.forEach((t, i) => {
      writeAll(fd, new Uint8Array(offsets[i]! - pos));
      writeAll(fd, t.data);
      pos = offsets[i]! + t.data.byteLength;
    });
    writeAll(fd, new Uint8Array(offset - pos));
  });
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function typeId(t: GgufValueType): number {
  return GGUF_VALUE_TYPES.indexOf(t);
}

function writeValue(
  out: Chunks,
  type: GgufValueType,
  value: unknown,
  key: string,
  itemType?: GgufValueType,
): void {
  const bad = () => new Error(`writeGguf: metadata ${key}: value ${String(value)} is not a valid ${type}`);
  if (type === "array") {
    if (!Array.isArray(value) || itemType === undefined) throw bad();
    out.u32(typeId(itemType));
    out.u64(BigInt(value.length));
    // Nested arrays carry their own item type; calign only writes flat ones.
    for (const item of value) writeValue(out, itemType, item, key);
    return;
  }
  if (type === "string") {
    if (typeof value !== "string") throw bad();
    return out.string(value);
  }
  if (type === "bool") {
    if (typeof value !== "boolean") throw bad();
    return out.fixed(1, (b) => b.writeUInt8(value ? 1 : 0));
  }
  if (type === "u64" || type === "i64") {
    if (typeof value !== "bigint" && !Number.isSafeInteger(value)) throw bad();
    const v = BigInt(value as number | bigint);
    return out.fixed(8, (b) => (type === "u64" ? b.writeBigUInt64LE(v) : b.writeBigInt64LE(v)));
  }
  if (typeof value !== "number") throw bad();
  try {
    switch (type) {
      case "u8":
        return out.fixed(1, (b) => b.writeUInt8(value));
      case "i8":
        return out.fixed(1, (b) => b.writeInt8(value));
      case "u16":
        return out.fixed(2, (b) => b.writeUInt16LE(value));
      case "i16":
        return out.fixed(2, (b) => b.writeInt16LE(value));
      case "u32":
        return out.fixed(4, (b) => b.writeUInt32LE(value));
      case "i32":
        return out.fixed(4, (b) => b.writeInt32LE(value));
      case "f32":
        return out.fixed(4, (b) => b.writeFloatLE(value));
      case "f64":
        return out.fixed(8, (b) => b.writeDoubleLE(value));
    }
  } catch {
    throw bad();
  }
}

/** Accumulates the header in pieces (tokenizer arrays make it megabytes). */
class Chunks {
  private parts: Buffer[] = [];
  fixed(n: number, fill: (b: Buffer) => void): void {
    const b = Buffer.alloc(n);
    fill(b);
    this.parts.push(b);
  }
  u32(v: number): void {
    this.fixed(4, (b) => b.writeUInt32LE(v));
  }
  u64(v: bigint): void {
    this.fixed(8, (b) => b.writeBigUInt64LE(v));
  }
  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(BigInt(bytes.byteLength));
    this.parts.push(bytes);
  }
  concat(): Buffer {
    return Buffer.concat(this.parts);
  }
}

// Writer for GGUF version 3 (little-endian; version 2 has the same layout and can be requested for
// old readers): metadata with explicit wire types, tensor infos with dims fastest-varying first,
// and each tensor's data padded to the alignment, so llama.cpp and Ollama can load the file.
import { writeAll, writeFileAtomicSync } from "../util/atomic-write.js";
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
  writeFileAtomicSync(path, (fd) => {
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
  if (type === "array") {
    if (!Array.isArray(value) || itemType === undefined) throw badValue(type, value, key);
    out.u32(typeId(itemType));
    out.u64(BigInt(value.length));
    // Nested arrays carry their own item type; calign only writes flat ones.
    for (const item of value) writeValue(out, itemType, item, key);
  } else if (type === "string") {
    if (typeof value !== "string") throw badValue(type, value, key);
    out.string(value);
  } else {
    out.push(scalarBytes(type, value, key));
  }
}

const SCALAR_WRITERS: Record<string, [number, (b: Buffer, v: number) => unknown]> = {
  u8: [1, (b, v) => b.writeUInt8(v)],
  i8: [1, (b, v) => b.writeInt8(v)],
  u16: [2, (b, v) => b.writeUInt16LE(v)],
  i16: [2, (b, v) => b.writeInt16LE(v)],
  u32: [4, (b, v) => b.writeUInt32LE(v)],
  i32: [4, (b, v) => b.writeInt32LE(v)],
  f32: [4, (b, v) => b.writeFloatLE(v)],
  f64: [8, (b, v) => b.writeDoubleLE(v)],
};

function scalarBytes(type: GgufValueType, value: unknown, key: string): Buffer {
  if (type === "bool") {
    if (typeof value !== "boolean") throw badValue(type, value, key);
    return Buffer.from([value ? 1 : 0]);
  }
  const b = Buffer.alloc(8);
  if (type === "u64" || type === "i64") {
    if (typeof value !== "bigint" && !Number.isSafeInteger(value)) throw badValue(type, value, key);
    const v = BigInt(value as number | bigint);
    try {
      if (type === "u64") b.writeBigUInt64LE(v);
      else b.writeBigInt64LE(v);
    } catch {
      throw badValue(type, value, key);
    }
    return b;
  }
  const writer = SCALAR_WRITERS[type];
  if (writer === undefined || typeof value !== "number") throw badValue(type, value, key);
  try {
    writer[1](b, value);
  } catch {
    throw badValue(type, value, key);
  }
  return b.subarray(0, writer[0]);
}

function badValue(type: string, value: unknown, key: string): Error {
  return new Error(`writeGguf: metadata ${key}: value ${String(value)} is not a valid ${type}`);
}

/** Accumulates the header in pieces (tokenizer arrays make it megabytes). */
class Chunks {
  private parts: Buffer[] = [];
  push(b: Buffer): void {
    this.parts.push(b);
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.parts.push(b);
  }
  u64(v: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    this.parts.push(b);
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

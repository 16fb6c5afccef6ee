// GGUF constants (ggml/docs/gguf.md): metadata value types and ggml tensor types with their
// block layouts (elements per block, bytes per block).

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as little-endian u32
export const GGUF_DEFAULT_ALIGNMENT = 32;

export const GGUF_VALUE_TYPES = [
  "u8",
  "i8",
  "u16",
  "i16",
  "u32",
  "i32",
  "f32",
  "bool",
  "string",
  "array",
  "u64",
  "i64",
  "f64",
] as const;
export type GgufValueType = (typeof GGUF_VALUE_TYPES)[number];
export type GgufScalarType = Exclude<GgufValueType, "array">;

export type GgufScalar = number | bigint | boolean | string;
/** A plain metadata value: a scalar or an array (arrays may nest). */
export type GgufPlain = GgufScalar | GgufPlain[];
/** A metadata value with its wire type, so files round-trip exactly. 64-bit integers are bigints. */
export type GgufValue =
  | { type: GgufScalarType; value: GgufScalar }
  | { type: "array"; itemType: GgufValueType; value: GgufPlain[] };

export interface GgmlType {
  id: number;
  name: string;
  blockSize: number;
  typeSize: number;
}

const TYPES: GgmlType[] = [
  { id: 0, name: "F32", blockSize: 1, typeSize: 4 },
  { id: 1, name: "F16", blockSize: 1, typeSize: 2 },
  { id: 2, name: "Q4_0", blockSize: 32, typeSize: 18 },
  { id: 3, name: "Q4_1", blockSize: 32, typeSize: 20 },
  { id: 6, name: "Q5_0", blockSize: 32, typeSize: 22 },
  { id: 7, name: "Q5_1", blockSize: 32, typeSize: 24 },
  { id: 8, name: "Q8_0", blockSize: 32, typeSize: 34 },
  { id: 9, name: "Q8_1", blockSize: 32, typeSize: 36 },
  { id: 10, name: "Q2_K", blockSize: 256, typeSize: 84 },
  { id: 11, name: "Q3_K", blockSize: 256, typeSize: 110 },
  { id: 12, name: "Q4_K", blockSize: 256, typeSize: 144 },
  { id: 13, name: "Q5_K", blockSize: 256, typeSize: 176 },
  { id: 14, name: "Q6_K", blockSize: 256, typeSize: 210 },
  { id: 15, name: "Q8_K", blockSize: 256, typeSize: 292 },
  { id: 24, name: "I8", blockSize: 1, typeSize: 1 },
  { id: 25, name: "I16", blockSize: 1, typeSize: 2 },
  { id: 26, name: "I32", blockSize: 1, typeSize: 4 },
  { id: 27, name: "I64", blockSize: 1, typeSize: 8 },
  { id: 28, name: "F64", blockSize: 1, typeSize: 8 },
  { id: 30, name: "BF16", blockSize: 1, typeSize: 2 },
];

export const GGML_TYPES: ReadonlyMap<number, GgmlType> = new Map(TYPES.map((t) => [t.id, t]));
export const GGML_TYPE_BY_NAME: ReadonlyMap<string, GgmlType> = new Map(TYPES.map((t) => [t.name, t]));

/** Token types of `tokenizer.ggml.token_type` (llama.cpp's llama_token_type). */
export const GGUF_TOKEN_TYPE = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const;

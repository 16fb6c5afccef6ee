// The engine-independent tensor every reader returns and every writer takes: raw little-endian bytes
// plus dtype and row-major shape. The engine wraps `data` without copying.

export type DType =
  | "F64"
  | "F32"
  | "F16"
  | "BF16"
  | "I64"
  | "I32"
  | "I16"
  | "I8"
  | "U64"
  | "U32"
  | "U16"
  | "U8"
  | "BOOL";

export interface RawTensor {
  name: string;
  dtype: DType;
  /** Row-major, slowest-varying first (PyTorch order). */
  shape: number[];
  /** Exactly numel * dtypeSize bytes; its byteOffset is a multiple of the element size. */
  data: Uint8Array;
}

export const DTYPE_SIZE: Readonly<Record<DType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

export function isDType(s: string): s is DType {
  return Object.hasOwn(DTYPE_SIZE, s);
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function byteLength(dtype: DType, shape: readonly number[]): number {
  return numel(shape) * DTYPE_SIZE[dtype];
}

/** Float32 values of an F32, F16 or BF16 tensor (a view for F32, a converted copy otherwise). */
export function toFloat32(t: RawTensor): Float32Array {
  const n = t.data.byteLength / DTYPE_SIZE[t.dtype];
  if (t.dtype === "F32") return new Float32Array(t.data.buffer, t.data.byteOffset, n);
  const halves = new Uint16Array(t.data.buffer, t.data.byteOffset, n);
  const out = new Float32Array(n);
  if (t.dtype === "F16") for (let i = 0; i < n; i++) out[i] = f16ToF32(halves[i]!);
  else if (t.dtype === "BF16") for (let i = 0; i < n; i++) out[i] = bf16ToF32(halves[i]!);
  else throw new TypeError(`toFloat32: tensor ${t.name} has dtype ${t.dtype}`);
  return out;
}

/** A RawTensor over a Float32Array (no copy). */
export function fromFloat32(name: string, shape: number[], values: Float32Array): RawTensor {
  return {
    name,
    dtype: "F32",
    shape,
    data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

/** Round-to-nearest-even F32 → F16 conversion of a whole tensor. */
export function toFloat16(t: RawTensor): RawTensor {
  const src = toFloat32(t);
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f32ToF16(src[i]!);
  return { name: t.name, dtype: "F16", shape: [...t.shape], data: new Uint8Array(out.buffer) };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function f16ToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

export function bf16ToF32(b: number): number {
  u32[0] = b << 16;
  return f32[0]!;
}

export function f32ToF16(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: shift the implicit 1 in, then round to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && r & 1)) r++;
    return sign | r;
  }
  let r = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && r & 1)) {
    r++;
    if (r === 0x400) {
      r = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | r;
}

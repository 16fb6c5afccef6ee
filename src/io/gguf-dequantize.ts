// Dequantization of the ggml block formats calign loads (layouts from ggml-common.h):
// Q8_0: f16 scale d, then 32 int8 q; x = d * q.
// Q4_0: f16 scale d, then 16 bytes; byte j holds element j (low nibble) and j + 16 (high nibble);
//       x = d * (q - 8).
import { f16ToF32 } from "./raw-tensor.js";

export function dequantizeQ8_0(src: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let b = 0, o = 0; o < count; b += 34, o += 32) {
    const d = f16ToF32(view.getUint16(b, true));
    for (let j = 0; j < 32; j++) out[o + j] = d * view.getInt8(b + 2 + j);
  }
  return out;
}

export function dequantizeQ4_0(src: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let b = 0, o = 0; o < count; b += 18, o += 32) {
    const d = f16ToF32(view.getUint16(b, true));
    for (let j = 0; j < 16; j++) {
      const q = src[b + 2 + j]!;
      out[o + j] = d * ((q & 0x0f) - 8);
      out[o + j + 16] = d * ((q >> 4) - 8);
    }
  }
  return out;
}

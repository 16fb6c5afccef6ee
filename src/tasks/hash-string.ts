// FNV-1a (32-bit) of a string's UTF-16 code units: a stable seed and bucket for family/seed/index keys
// and instance inputs, the same on every machine and Node version.
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

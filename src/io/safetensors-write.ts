// Writer for safetensors files as the reference implementation lays them out: `__metadata__` first,
// tensors ordered by element size (largest first) then name so every tensor starts aligned to its
// element size, and the JSON header padded with spaces to a multiple of 8 bytes.
import { writeAll, writeFileAtomicSync } from "../util/atomic-write.js";
import { byteLength, DTYPE_SIZE, type RawTensor } from "./raw-tensor.js";

export function writeSafetensors(
  path: string,
  tensors: readonly RawTensor[],
  metadata?: Record<string, string>,
): void {
  const ordered = [...tensors].sort(
    (a, b) => DTYPE_SIZE[b.dtype] - DTYPE_SIZE[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of ordered) {
    if (seen.has(t.name)) throw new Error(`writeSafetensors: duplicate tensor name ${t.name}`);
    seen.add(t.name);
    const n = byteLength(t.dtype, t.shape);
    if (t.data.byteLength !== n) {
      throw new Error(
        `writeSafetensors: tensor ${t.name} has ${t.data.byteLength} bytes, shape [${t.shape}] ${t.dtype} needs ${n}`,
      );
    }
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeFileAtomicSync(path, (fd) => {
    writeAll(fd, head);
    writeAll(fd, Buffer.from(json, "utf8"));
    for (const t of ordered) writeAll(fd, t.data);
  });
}

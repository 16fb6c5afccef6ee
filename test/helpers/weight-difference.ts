// Trained weights compared across runs that sum in another order (data-parallel against one process):
// the same float32 tensors, and the largest absolute difference over all of them.
import assert from "node:assert/strict";
import { SafetensorsFile } from "../../src/io/safetensors-file.js";

/** The largest absolute difference between two float32 safetensors files with the same tensors. */
export function largestWeightDifference(a: string, b: string): number {
  const fa = SafetensorsFile.open(a);
  const fb = SafetensorsFile.open(b);
  try {
    assert.deepEqual(
      fb.list().map((t) => t.name),
      fa.list().map((t) => t.name),
    );
    let worst = 0;
    for (const { name, dtype } of fa.list()) {
      assert.equal(dtype, "F32", name);
      const floats = (f: SafetensorsFile) => {
        const { data } = f.read(name);
        return new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4);
      };
      const x = floats(fa);
      const y = floats(fb);
      for (let i = 0; i < x.length; i++)
        worst = Math.max(worst, Math.abs((x[i] as number) - (y[i] as number)));
    }
    return worst;
  } finally {
    fa.close();
    fb.close();
  }
}

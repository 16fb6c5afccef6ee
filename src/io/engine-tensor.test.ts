// Loading a checkpoint's tensors into the engine: from a safetensors file they are memory-mapped and
// copied straight onto the device (`loadTensor` over `locate`), and must hold exactly the bytes a
// positioned read gives, for every dtype, at any offset, across page boundaries.
import assert from "node:assert/strict";
import { truncateSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../../test/fixtures.js";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { fromRawTensor, loadTensor, toRawTensor } from "./engine-tensor.js";
import { DTYPE_SIZE, type DType, type RawTensor } from "./raw-tensor.js";
import { SafetensorsFile } from "./safetensors-file.js";
import { writeSafetensors } from "./safetensors-write.js";

function raw(name: string, dtype: DType, shape: number[], seed: number): RawTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(n * DTYPE_SIZE[dtype]);
  // Any bit pattern but a NaN's (whose payload a copy need not keep): odd bytes, which hold the sign and
  // exponent of every little-endian float dtype, stay below 0x40.
  for (let i = 0; i < data.length; i++)
    data[i] = dtype === "BOOL" ? (i + seed) % 2 : ((i * 37 + seed * 11) % 251) & (i % 2 === 1 ? 0x3f : 0xff);
  return { name, dtype, shape, data };
}

const TENSORS = [
  raw("mask", "BOOL", [5], 1),
  raw("w.f32", "F32", [3, 1500], 2), // 18 kB: crosses page boundaries; no tensor starts on one
  raw("w.f16", "F16", [7], 3),
  raw("w.bf16", "BF16", [2, 3], 4),
  raw("ids", "I64", [4], 5),
  raw("pos", "I32", [1, 3], 6),
  raw("d", "F64", [2], 7),
  raw("u", "U8", [9], 8),
  raw("empty", "U8", [0], 9),
  raw("scalar", "F32", [], 10),
];

/** Runs `fn` on TENSORS written to a safetensors file and opened. */
function withFile(fn: (file: SafetensorsFile, path: string) => void) {
  const { dir, remove } = tempDir("calign-engine-tensor-");
  try {
    const path = join(dir, "model.safetensors");
    writeSafetensors(path, TENSORS);
    const file = SafetensorsFile.open(path);
    try {
      fn(file, path);
    } finally {
      file.close();
    }
  } finally {
    remove();
  }
}

test("loadTensor: a safetensors tensor mapped onto the device holds the bytes a positioned read gives", () => {
  withFile((file) => {
    for (const { name } of TENSORS) {
      const at = file.locate(name);
      const read = file.read(name);
      assert.deepEqual(
        [at.dtype, at.shape, at.byteLength],
        [read.dtype, read.shape, read.data.byteLength],
        name,
      );
      const mapped = loadTensor(file, name, TEST_DEVICE);
      const copied = fromRawTensor(read, TEST_DEVICE);
      assert.equal(mapped.device, copied.device, name);
      const back = toRawTensor(name, mapped.to("cpu"));
      assert.deepEqual([back.dtype, back.shape], [read.dtype, read.shape], name);
      assert.deepEqual(Buffer.from(back.data), Buffer.from(read.data), name);
      mapped.dispose();
      copied.dispose();
    }
  });
});

test("loadTensor: a tensor past the end of a file cut short after opening is an error naming the file", () => {
  withFile((file, path) => {
    const at = file.locate("w.f32");
    truncateSync(path, at.offset + 100);
    // Read through a mapping, the missing pages would be a SIGBUS that kills the process.
    assert.throws(
      () => loadTensor(file, "w.f32"),
      (e: Error) => e.message.includes(path) && /past the end of the file/.test(e.message),
    );
  });
});

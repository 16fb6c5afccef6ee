import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fixture, skipUnlessFixture, tempDir } from "../../test/fixtures.js";
import { runPython, torchUnavailable } from "../../test/helpers/torch-python.js";
import { ModelFileError } from "./model-file-error.js";
import { DTYPE_SIZE, type DType, type RawTensor, toFloat32 } from "./raw-tensor.js";
import { SafetensorsFile } from "./safetensors-file.js";
import { writeSafetensors } from "./safetensors-write.js";

function tensor(name: string, dtype: DType, shape: number[], fill: (i: number) => number): RawTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(n * DTYPE_SIZE[dtype]);
  const view = new DataView(data.buffer);
  for (let i = 0; i < n; i++) {
    const v = fill(i);
    if (dtype === "F32") view.setFloat32(i * 4, v, true);
    else if (dtype === "F64") view.setFloat64(i * 8, v, true);
    else if (dtype === "I64") view.setBigInt64(i * 8, BigInt(v), true);
    else if (dtype === "I32") view.setInt32(i * 4, v, true);
    else if (dtype === "F16" || dtype === "BF16" || dtype === "I16") view.setUint16(i * 2, v & 0xffff, true);
    else view.setUint8(i, v & 0xff);
  }
  return { name, dtype, shape, data };
}

const SAMPLE: RawTensor[] = [
  tensor("mask", "BOOL", [3], (i) => i % 2), // odd byte count: the writer must still align what follows
  tensor("w.f32", "F32", [2, 3], (i) => i * 0.5 - 1),
  tensor("w.f16", "F16", [4], (i) => 0x3c00 + i), // 1.0, 1.00098, ...
  tensor("w.bf16", "BF16", [2, 2], (i) => 0x3f80 + i),
  tensor("ids", "I64", [5], (i) => i - 2),
  tensor("pos", "I32", [1, 1, 2], (i) => 7 * i),
  tensor("d", "F64", [2], (i) => Math.PI * i),
  tensor("bytes", "U8", [0], () => 0),
  tensor("scalar", "F32", [], () => 42),
];

test("safetensors: write then read returns identical tensors and metadata", () => {
  const { dir, remove } = tempDir();
  try {
    const path = join(dir, "m.safetensors");
    writeSafetensors(path, SAMPLE, { format: "pt", note: "héllo" });
    const f = SafetensorsFile.open(path);
    assert.deepEqual(f.metadata, { format: "pt", note: "héllo" });
    assert.equal(f.list().length, SAMPLE.length);
    for (const t of SAMPLE) {
      const r = f.read(t.name);
      assert.equal(r.dtype, t.dtype);
      assert.deepEqual(r.shape, t.shape);
      assert.deepEqual(Buffer.from(r.data), Buffer.from(t.data), t.name);
      assert.equal(r.data.byteOffset % DTYPE_SIZE[r.dtype], 0);
    }
    f.close();

    // Layout as the reference writes it: header length a multiple of 8, padded with spaces,
    // and every tensor's offset aligned to its element size.
    const bytes = readFileSync(path);
    const n = Number(bytes.readBigUInt64LE(0));
    assert.equal(n % 8, 0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
    assert.equal(Object.keys(header)[0], "__metadata__");
    for (const [name, e] of Object.entries<{ dtype: DType; data_offsets: number[] }>(header)) {
      if (name !== "__metadata__") assert.equal(e.data_offsets[0]! % DTYPE_SIZE[e.dtype], 0, name);
    }
  } finally {
    remove();
  }
});

test("safetensors: the writer refuses a tensor whose bytes do not match its shape", () => {
  const { dir, remove } = tempDir();
  try {
    const bad = { ...tensor("x", "F32", [2], () => 0), shape: [3] };
    assert.throws(() => writeSafetensors(join(dir, "x.safetensors"), [bad]), /x has 8 bytes/);
  } finally {
    remove();
  }
});

test("safetensors: reads the fake-gpt2 fixture", { skip: skipUnlessFixture("fake-gpt2") }, () => {
  const f = SafetensorsFile.open(fixture("fake-gpt2", "model.safetensors"));
  try {
    assert.deepEqual(f.metadata, { format: "pt" });
    const infos = f.list();
    assert.equal(infos.length, 16);
    assert.deepEqual(
      infos.find((t) => t.name === "transformer.wte.weight"),
      { name: "transformer.wte.weight", dtype: "F32", shape: [50257, 2] },
    );
    const wpe = f.read("transformer.wpe.weight");
    assert.deepEqual(wpe.shape, [1024, 2]);
    assert.ok(toFloat32(wpe).every(Number.isFinite));
  } finally {
    f.close();
  }
});

/** Builds a safetensors file by hand: header text as given, then `data`. */
function rawFile(
  path: string,
  header: string,
  data: Uint8Array = new Uint8Array(0),
  declaredLength?: bigint,
): void {
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(declaredLength ?? BigInt(Buffer.byteLength(header)));
  writeFileSync(path, Buffer.concat([len, Buffer.from(header), data]));
}

function expectFileError(fn: () => unknown, path: string, pattern: RegExp, tensorName?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ModelFileError, `expected ModelFileError, got ${String(err)}`);
    assert.equal(err.file, path);
    assert.equal(err.tensor, tensorName);
    assert.match(err.message, pattern);
    assert.ok(err.message.includes(path));
    return true;
  });
}

test("safetensors: corrupt files give a ModelFileError naming the file and tensor", () => {
  const { dir, remove } = tempDir();
  try {
    const p = join(dir, "bad.safetensors");
    const entry = (e: object) => JSON.stringify({ "layer.w": e });
    rawFile(p, entry({ dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] }), new Uint8Array(1));
    expectFileError(() => SafetensorsFile.open(p), p, /unsupported dtype "F8_E4M3"/, "layer.w");
    rawFile(p, entry({ dtype: "F32", shape: [4], data_offsets: [0, 16] }), new Uint8Array(8));
    expectFileError(() => SafetensorsFile.open(p), p, /past the end of the data/, "layer.w");
    rawFile(p, entry({ dtype: "F32", shape: [3], data_offsets: [0, 16] }), new Uint8Array(16));
    expectFileError(() => SafetensorsFile.open(p), p, /needs 12 bytes but data_offsets span 16/, "layer.w");
    rawFile(p, entry({ dtype: "F32", shape: [-1], data_offsets: [0, 4] }), new Uint8Array(4));
    expectFileError(() => SafetensorsFile.open(p), p, /invalid shape/, "layer.w");
    rawFile(p, "{not json", new Uint8Array(0));
    expectFileError(() => SafetensorsFile.open(p), p, /not valid JSON/);
    rawFile(p, "{}", new Uint8Array(0), 1n << 40n);
    expectFileError(() => SafetensorsFile.open(p), p, /header length/);
    writeFileSync(p, Buffer.from([1, 2, 3]));
    expectFileError(() => SafetensorsFile.open(p), p, /shorter than the 8-byte header length/);
    rawFile(p, entry({ dtype: "F32", shape: [1], data_offsets: [0, 4] }), new Uint8Array(4));
    const f = SafetensorsFile.open(p);
    expectFileError(() => f.read("nope"), p, /no such tensor/, "nope");
    f.close();
  } finally {
    remove();
  }
});

test("safetensors: fuzzed truncations and flipped header bytes fail cleanly", () => {
  const { dir, remove } = tempDir();
  try {
    const good = join(dir, "good.safetensors");
    writeSafetensors(good, SAMPLE, { format: "pt" });
    const bytes = readFileSync(good);
    const p = join(dir, "fuzz.safetensors");
    const attempt = (data: Uint8Array) => {
      writeFileSync(p, data);
      try {
        const f = SafetensorsFile.open(p);
        for (const t of f.list()) f.read(t.name);
        f.close();
      } catch (err) {
        assert.ok(err instanceof ModelFileError, `unexpected ${String(err)}`);
      }
    };
    for (let cut = 0; cut < bytes.length; cut += 3) attempt(bytes.subarray(0, cut));
    const headerEnd = 8 + Number(bytes.readBigUInt64LE(0));
    for (let i = 0; i < headerEnd; i++) {
      for (const mask of [0x01, 0x20, 0x80]) {
        const copy = Buffer.from(bytes);
        copy[i]! ^= mask;
        attempt(copy);
      }
    }
  } finally {
    remove();
  }
});

const PY_READ = `
import json, struct, sys, numpy as np
raw = open(json.load(sys.stdin)['path'], 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
types = {'F32': '<f4', 'F64': '<f8', 'I64': '<i8', 'I32': '<i4', 'F16': '<f2', 'U8': 'u1', 'BOOL': '?'}
out = {'__metadata__': header.pop('__metadata__', None)}
for name, e in header.items():
    b, end = e['data_offsets']
    if e['dtype'] not in types:
        continue
    a = np.frombuffer(raw[8 + n + b: 8 + n + end], dtype=types[e['dtype']]).reshape(e['shape'])
    out[name] = {'shape': list(a.shape), 'values': a.astype(np.float64).ravel().tolist()}
print(json.dumps(out))
`;

const PY_WRITE = `
import json, struct, sys, numpy as np
tensors = {
    'a': np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
    'b': np.array([-1.5, 2.25], dtype=np.float16),
    'c': np.array([[1, -2], [3, 4]], dtype=np.int64),
}
header, blobs, off = {'__metadata__': {'source': 'numpy'}}, [], 0
for name, a in tensors.items():
    b = a.tobytes()
    header[name] = {'dtype': {'float32': 'F32', 'float16': 'F16', 'int64': 'I64'}[str(a.dtype)], 'shape': list(a.shape), 'data_offsets': [off, off + len(b)]}
    blobs.append(b); off += len(b)
h = json.dumps(header).encode()
h += b' ' * ((8 - len(h) % 8) % 8)
open(json.load(sys.stdin)['path'], 'wb').write(struct.pack('<Q', len(h)) + h + b''.join(blobs))
print('null')
`;

test("safetensors: Python (numpy) reads calign's file and calign reads Python's", {
  skip: torchUnavailable() ?? false,
}, () => {
  const { dir, remove } = tempDir();
  try {
    const ours = join(dir, "ours.safetensors");
    writeSafetensors(ours, SAMPLE, { format: "pt" });
    const seen = runPython<Record<string, { shape: number[]; values: number[] } & Record<string, unknown>>>(
      PY_READ,
      { path: ours },
    );
    assert.deepEqual(seen.__metadata__, { format: "pt" });
    assert.deepEqual(seen["w.f32"], { shape: [2, 3], values: [-1, -0.5, 0, 0.5, 1, 1.5] });
    assert.deepEqual(seen.ids?.values, [-2, -1, 0, 1, 2]);
    assert.deepEqual(seen.mask?.values, [0, 1, 0]);
    assert.deepEqual(seen.d?.values, [0, Math.PI]);
    assert.deepEqual(seen["w.f16"]?.values.slice(0, 2), [1, 1 + 2 ** -10]);
    assert.deepEqual(seen.scalar, { shape: [], values: [42] });

    const theirs = join(dir, "theirs.safetensors");
    runPython(PY_WRITE, { path: theirs });
    const f = SafetensorsFile.open(theirs);
    assert.deepEqual(f.metadata, { source: "numpy" });
    assert.deepEqual([...toFloat32(f.read("a"))], [0, 0.25, 0.5, 0.75, 1, 1.25]);
    assert.deepEqual([...toFloat32(f.read("b"))], [-1.5, 2.25]);
    const c = f.read("c");
    assert.deepEqual(c.shape, [2, 2]);
    assert.deepEqual([...new BigInt64Array(c.data.buffer, c.data.byteOffset, 4)], [1n, -2n, 3n, 4n]);
    f.close();
  } finally {
    remove();
  }
});

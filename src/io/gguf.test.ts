import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fixture, skipUnlessFixture, tempDir } from "../../test/fixtures.js";
import { GgufFile } from "./gguf-file.js";
import type { GgufValue } from "./gguf-types.js";
import { writeGguf } from "./gguf-write.js";
import { ModelFileError } from "./model-file-error.js";
import { fromFloat32, type RawTensor, toFloat16, toFloat32 } from "./raw-tensor.js";

const STORIES = ["stories260k", "tinyllamas-stories-260k-f32.gguf"] as const;

test("gguf: reads the stories260k GGUF v1 file", { skip: skipUnlessFixture(...STORIES) }, () => {
  const g = GgufFile.open(fixture(...STORIES));
  try {
    assert.equal(g.version, 1);
    assert.equal(g.alignment, 32);
    assert.equal(g.tensorInfos.size, 48); // 5 blocks × 9 tensors + embedding, final norm, output
    assert.equal(g.get("general.architecture"), "llama");
    assert.equal(g.get("llama.tensor_data_layout"), "Meta AI original pth");
    assert.equal(g.get("llama.embedding_length"), 64);
    assert.equal(g.get("llama.block_count"), 5);
    assert.equal(g.get("llama.attention.head_count"), 8);
    assert.equal(g.get("llama.attention.head_count_kv"), 4);
    assert.equal(g.get("llama.feed_forward_length"), 172);
    assert.equal(g.get("llama.context_length"), 512);
    assert.equal(g.get("tokenizer.ggml.model"), "llama");
    assert.equal((g.get("tokenizer.ggml.tokens") as string[]).length, 512);
    assert.equal(g.metadata.get("tokenizer.ggml.scores")?.type, "array");
    const shapes = Object.fromEntries(g.list().map((t) => [t.name, t.shape]));
    assert.deepEqual(shapes["token_embd.weight"], [512, 64]);
    assert.deepEqual(shapes["blk.0.attn_q.weight"], [64, 64]);
    assert.deepEqual(shapes["blk.0.attn_k.weight"], [32, 64]); // 4 KV heads × head_dim 8
    assert.deepEqual(shapes["blk.4.ffn_gate.weight"], [172, 64]);
    assert.deepEqual(shapes["blk.4.ffn_down.weight"], [64, 172]);
    assert.deepEqual(shapes["output_norm.weight"], [64]);
    // The README says the output is tied to the embedding: the file stores the same values twice.
    assert.deepEqual(toFloat32(g.read("output.weight")), toFloat32(g.read("token_embd.weight")));
  } finally {
    g.close();
  }
});

const METADATA: Record<string, GgufValue> = {
  "general.architecture": { type: "string", value: "llama" },
  "general.name": { type: "string", value: "ünïcode ✓" },
  "t.u8": { type: "u8", value: 255 },
  "t.i8": { type: "i8", value: -128 },
  "t.u16": { type: "u16", value: 65535 },
  "t.i16": { type: "i16", value: -32768 },
  "t.u32": { type: "u32", value: 4294967295 },
  "t.i32": { type: "i32", value: -2147483648 },
  "t.f32": { type: "f32", value: 0.5 },
  "t.f64": { type: "f64", value: Math.E },
  "t.bool": { type: "bool", value: true },
  "t.u64": { type: "u64", value: 2n ** 63n + 5n },
  "t.i64": { type: "i64", value: -(2n ** 62n) },
  "tokenizer.ggml.tokens": { type: "array", itemType: "string", value: ["<unk>", "▁a", "", "<0x0A>"] },
  "tokenizer.ggml.scores": { type: "array", itemType: "f32", value: [0, -1.5, -2, 0] },
  "tokenizer.ggml.token_type": { type: "array", itemType: "i32", value: [2, 1, 1, 6] },
  "t.empty": { type: "array", itemType: "u8", value: [] },
};

function sampleTensors(): RawTensor[] {
  const f32 = fromFloat32(
    "a.weight",
    [3, 5],
    Float32Array.from({ length: 15 }, (_, i) => i / 8 - 1),
  );
  const i32: RawTensor = {
    name: "b.ids",
    dtype: "I32",
    shape: [2],
    data: new Uint8Array(new Int32Array([7, -9]).buffer),
  };
  return [
    f32,
    toFloat16({ ...f32, name: "a.half" }),
    fromFloat32("c.norm", [4], new Float32Array([1, 2, 3, 4])),
    i32,
  ];
}

for (const [version, alignment] of [
  [3, 32],
  [2, 32],
  [3, 64],
] as const) {
  test(`gguf: write (v${version}, alignment ${alignment}) then read round-trips metadata and tensors`, () => {
    const { dir, remove } = tempDir();
    try {
      const path = join(dir, "m.gguf");
      const tensors = sampleTensors();
      writeGguf(path, METADATA, tensors, { version, alignment });
      const g = GgufFile.open(path);
      assert.equal(g.version, version);
      assert.equal(g.alignment, alignment);
      assert.equal(g.dataStart % alignment, 0);
      const expected = new Map(Object.entries(METADATA));
      if (alignment !== 32) expected.set("general.alignment", { type: "u32", value: alignment });
      assert.deepEqual(g.metadata, expected);
      for (const t of tensors) {
        const r = g.read(t.name);
        assert.equal(r.dtype, t.dtype);
        assert.deepEqual(r.shape, t.shape);
        assert.deepEqual(Buffer.from(r.data), Buffer.from(t.data));
        assert.equal(g.tensorInfos.get(t.name)!.offset % alignment, 0);
      }
      // GGUF stores dims fastest-varying first.
      assert.deepEqual(g.tensorInfos.get("a.weight")!.dims, [5, 3]);
      g.close();
    } finally {
      remove();
    }
  });
}

test("gguf: the writer refuses dtypes ggml lacks and mistyped metadata", () => {
  const { dir, remove } = tempDir();
  try {
    const p = join(dir, "x.gguf");
    const bool: RawTensor = { name: "m", dtype: "BOOL", shape: [1], data: new Uint8Array(1) };
    assert.throws(() => writeGguf(p, {}, [bool]), /dtype BOOL has no ggml type/);
    assert.throws(
      () => writeGguf(p, { k: { type: "u8", value: 300 } }, []),
      /metadata k: value 300 is not a valid u8/,
    );
    assert.throws(() => writeGguf(p, { k: { type: "string", value: 3 } }, []), /is not a valid string/);
  } finally {
    remove();
  }
});

/** Rewrites a tensor info in place: its first dim and its ggml type (a v3 file with 1-D tensors). */
function retype(file: Buffer, name: string, dim: number, typeId: number): void {
  const at = file.indexOf(Buffer.from(name)) + name.length;
  assert.equal(file.readUInt32LE(at), 1, "1-D tensor");
  file.writeBigUInt64LE(BigInt(dim), at + 4);
  file.writeUInt32LE(typeId, at + 12);
}

test("gguf: Q8_0 and Q4_0 blocks are dequantized per the ggml block layout", () => {
  const { dir, remove } = tempDir();
  try {
    // Q8_0: f16 scale 0.5 (0x3800), then 32 int8 values.
    const q8 = Buffer.alloc(34 * 2);
    q8.writeUInt16LE(0x3800, 0);
    for (let j = 0; j < 32; j++) q8.writeInt8(j * 8 - 128, 2 + j);
    q8.writeUInt16LE(0xc000, 34); // second block, scale -2
    for (let j = 0; j < 32; j++) q8.writeInt8(j - 16, 36 + j);
    // Q4_0: f16 scale 2 (0x4000); byte j = (high nibble 15 - j) << 4 | (low nibble j).
    const q4 = Buffer.alloc(18);
    q4.writeUInt16LE(0x4000, 0);
    for (let j = 0; j < 16; j++) q4[2 + j] = ((15 - j) << 4) | j;
    const asI8 = (name: string, b: Buffer): RawTensor => ({ name, dtype: "I8", shape: [b.length], data: b });
    const path = join(dir, "q.gguf");
    writeGguf(path, {}, [asI8("q8", q8), asI8("q4", q4)]);
    const file = readFileSync(path);
    retype(file, "q8", 64, 8);
    retype(file, "q4", 32, 2);
    writeFileSync(path, file);

    const g = GgufFile.open(path);
    assert.deepEqual(
      g.list().map((t) => [t.name, t.dtype, t.shape]),
      [
        ["q8", "F32", [64]],
        ["q4", "F32", [32]],
      ],
    );
    const expect8 = [
      ...Array.from({ length: 32 }, (_, j) => 0.5 * (j * 8 - 128)),
      ...Array.from({ length: 32 }, (_, j) => -2 * (j - 16)),
    ];
    assert.deepEqual([...toFloat32(g.read("q8"))], expect8);
    const expect4 = [
      ...Array.from({ length: 16 }, (_, j) => 2 * (j - 8)),
      ...Array.from({ length: 16 }, (_, j) => 2 * (15 - j - 8)),
    ];
    assert.deepEqual([...toFloat32(g.read("q4"))], expect4);
    g.close();
  } finally {
    remove();
  }
});

function expectFileError(fn: () => unknown, pattern: RegExp, tensorName?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ModelFileError, `expected ModelFileError, got ${String(err)}`);
    assert.match(err.message, pattern);
    assert.equal(err.tensor, tensorName);
    return true;
  });
}

test("gguf: corrupt headers give a ModelFileError naming the file and tensor", () => {
  const { dir, remove } = tempDir();
  try {
    const good = join(dir, "good.gguf");
    writeGguf(good, METADATA, sampleTensors());
    const bytes = readFileSync(good);
    const p = join(dir, "bad.gguf");
    const withBytes = (edit: (b: Buffer) => void) => {
      const b = Buffer.from(bytes);
      edit(b);
      writeFileSync(p, b);
    };
    withBytes((b) => b.write("GGML", 0));
    expectFileError(() => GgufFile.open(p), /bad magic/);
    withBytes((b) => b.writeUInt32LE(4, 4));
    expectFileError(() => GgufFile.open(p), /unsupported GGUF version 4/);
    withBytes((b) => b.writeBigUInt64LE(1n << 60n, 8));
    expectFileError(() => GgufFile.open(p), /implausible tensor count/);
    withBytes((b) => retype(b, "c.norm", 1 << 20, 0));
    expectFileError(() => GgufFile.open(p), /runs past the end of the data section/, "c.norm");
    withBytes((b) => retype(b, "c.norm", 4, 99));
    expectFileError(() => GgufFile.open(p), /unknown ggml type 99/, "c.norm");
    // Q4_K: a known, sized type that calign does not dequantize (256 elements in 144 bytes).
    writeGguf(p, {}, [{ name: "k", dtype: "I8", shape: [144], data: new Uint8Array(144) }]);
    const k = readFileSync(p);
    retype(k, "k", 256, 12);
    writeFileSync(p, k);
    const g = GgufFile.open(p);
    expectFileError(() => g.read("k"), /ggml type Q4_K is not supported/, "k");
    g.close();
    const whole = GgufFile.open(good);
    const cut = whole.dataStart + whole.tensorInfos.get("b.ids")!.offset + 4; // inside the last tensor
    whole.close();
    writeFileSync(p, bytes.subarray(0, cut));
    expectFileError(() => GgufFile.open(p), /runs past the end/, "b.ids");
  } finally {
    remove();
  }
});

test("gguf: fuzzed truncations and flipped header bytes fail cleanly", () => {
  const { dir, remove } = tempDir();
  try {
    const good = join(dir, "good.gguf");
    writeGguf(good, METADATA, sampleTensors());
    const bytes = readFileSync(good);
    const g = GgufFile.open(good);
    const headerEnd = g.dataStart;
    g.close();
    const p = join(dir, "fuzz.gguf");
    const attempt = (data: Uint8Array) => {
      writeFileSync(p, data);
      try {
        const f = GgufFile.open(p);
        for (const t of f.list()) f.read(t.name);
        f.close();
      } catch (err) {
        assert.ok(err instanceof ModelFileError, `unexpected ${String(err)}`);
      }
    };
    for (let cut = 0; cut < bytes.length; cut += 5) attempt(bytes.subarray(0, cut));
    for (let i = 0; i < headerEnd; i++) {
      for (const mask of [0x01, 0x10, 0x80]) {
        const copy = Buffer.from(bytes);
        copy[i]! ^= mask;
        attempt(copy);
      }
    }
  } finally {
    remove();
  }
});

import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fixture, skipUnlessFixture, tempDir } from "../../test/fixtures.js";
import { readHfDir, writeHfDir } from "./hf-dir.js";
import { ModelFileError } from "./model-file-error.js";
import { fromFloat32, toFloat32 } from "./raw-tensor.js";
import { ShardedSafetensors } from "./sharded-safetensors.js";

test("hf dir: reads the fake-gpt2 folder", { skip: skipUnlessFixture("fake-gpt2") }, () => {
  const m = readHfDir(fixture("fake-gpt2"));
  try {
    assert.equal(m.config.model_type, "gpt2");
    assert.equal(m.config.vocab_size, 50257);
    assert.equal(m.generationConfig?.eos_token_id, 50256);
    assert.equal(m.tokenizerConfig?.eos_token, "<|endoftext|>");
    assert.equal(m.specialTokensMap?.bos_token, "<|endoftext|>");
    assert.equal((m.tokenizerJson?.model as { type: string } | undefined)?.type, "BPE");
    assert.equal(m.chatTemplate, undefined);
    assert.equal(m.weights.list().length, 16);
  } finally {
    m.weights.close();
  }
});

test("hf dir: write then read, single file and sharded, with a chat template", () => {
  const { dir, remove } = tempDir();
  try {
    const tensors = [0, 1, 2, 3].map((i) =>
      fromFloat32(
        `layer.${i}.weight`,
        [4, 4],
        Float32Array.from({ length: 16 }, (_, j) => i * 100 + j),
      ),
    );
    const contents = {
      config: { model_type: "llama", hidden_size: 4 },
      generationConfig: { eos_token_id: 2 },
      tokenizerConfig: {
        bos_token: "<s>",
        chat_template: "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}",
      },
      tensors,
    };
    const single = join(dir, "single");
    writeHfDir(single, contents);
    const a = readHfDir(single);
    assert.deepEqual(a.config, contents.config);
    assert.equal(a.chatTemplate, contents.tokenizerConfig.chat_template);
    assert.deepEqual([...toFloat32(a.weights.read("layer.2.weight"))], [...toFloat32(tensors[2]!)]);
    a.weights.close();

    const sharded = join(dir, "sharded");
    writeHfDir(sharded, { ...contents, maxShardBytes: 150 }); // 64 bytes each: two per shard
    assert.ok(existsSync(join(sharded, "model-00002-of-00002.safetensors")));
    const b = readHfDir(sharded);
    assert.ok(b.weights instanceof ShardedSafetensors);
    assert.equal((b.weights as ShardedSafetensors).metadata.total_size, 256);
    assert.deepEqual(
      b.weights.list().map((t) => t.name),
      tensors.map((t) => t.name),
    );
    for (const t of tensors) assert.deepEqual(Buffer.from(b.weights.read(t.name).data), Buffer.from(t.data));
    b.weights.close();
  } finally {
    remove();
  }
});

test("hf dir: chat_template.jinja, template lists, and missing or broken files", () => {
  const { dir, remove } = tempDir();
  try {
    writeHfDir(dir, {
      config: {},
      tensors: [],
      tokenizerConfig: {
        chat_template: [
          { name: "tool_use", template: "T" },
          { name: "default", template: "D" },
        ],
      },
    });
    const a = readHfDir(dir);
    assert.equal(a.chatTemplate, "D");
    a.weights.close();
    writeHfDir(dir, { config: {}, tensors: [], tokenizerConfig: {} });
    writeFileSync(join(dir, "chat_template.jinja"), "J");
    const b = readHfDir(dir);
    assert.equal(b.chatTemplate, "J");
    b.weights.close();

    writeFileSync(join(dir, "config.json"), "{oops");
    assert.throws(
      () => readHfDir(dir),
      (e: unknown) =>
        e instanceof ModelFileError &&
        e.file === join(dir, "config.json") &&
        /not valid JSON/.test(e.message),
    );
    assert.throws(
      () => readHfDir(join(dir, "nope")),
      (e: unknown) => e instanceof ModelFileError && /cannot read/.test(e.message),
    );
  } finally {
    remove();
  }
});

test("hf dir: an index naming a tensor its shard lacks is an error naming shard and tensor", () => {
  const { dir, remove } = tempDir();
  try {
    const t = [fromFloat32("a", [1], new Float32Array([1])), fromFloat32("b", [1], new Float32Array([2]))];
    writeHfDir(dir, { config: {}, tensors: t, maxShardBytes: 4 });
    const index = join(dir, "model.safetensors.index.json");
    writeFileSync(
      index,
      JSON.stringify({
        weight_map: { a: "model-00001-of-00002.safetensors", b: "model-00001-of-00002.safetensors" },
      }),
    );
    assert.throws(
      () => ShardedSafetensors.open(index),
      (e: unknown) =>
        e instanceof ModelFileError &&
        e.tensor === "b" &&
        e.file.endsWith("model-00001-of-00002.safetensors"),
    );
  } finally {
    remove();
  }
});

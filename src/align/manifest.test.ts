// A model folder's content hash, which keys every stage that reads the model: it follows what loading
// reads and nothing else, so editing the model card does not retrain a run.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { contentHash } from "./manifest.js";

test("a model folder's hash covers config, weights, tokenizer and chat template, not its card, recipe or log", async () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-hash-"));
  try {
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
    write("config.json", '{"model_type":"llama"}');
    write("model.safetensors", "weights");
    write("tokenizer.json", "{}");
    const base = await contentHash(dir);
    write("README.md", "# a model card");
    write("recipe.yaml", "seed: 0");
    write("training-log.jsonl", '{"step":1}');
    mkdirSync(join(dir, "eval"));
    assert.equal(await contentHash(dir), base);
    for (const [name, text] of [
      ["model.safetensors", "other weights"],
      ["config.json", '{"model_type":"gpt2"}'],
      ["tokenizer_config.json", "{}"],
      ["chat_template.jinja", "{{ bos_token }}"],
    ]) {
      const before = await contentHash(dir);
      write(name as string, text as string);
      assert.notEqual(await contentHash(dir), before, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a single file's hash is of its bytes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-hash-"));
  try {
    const file = join(dir, "train.jsonl");
    writeFileSync(file, '{"instruction":"a"}\n');
    const first = await contentHash(file);
    writeFileSync(file, '{"instruction":"b"}\n');
    assert.notEqual(await contentHash(file), first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// `calign pretrain` end to end on a tiny recipe: a loadable Hugging Face folder whose tokenizer and chat
// template work with `calign generate --chat`, a falling loss, and kill -9 then --resume reaching the
// same weights as an uninterrupted run; models/base's recipe is the defaults but for its stated exceptions.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { loadConfig } from "../config/index.js";
import { loadModel } from "../models/index.js";
import { encodeChat, loadTokenizer } from "../tokenizers/index.js";
import { readMetrics } from "../train/metrics-log.js";
import { PRETRAIN_SCHEMA } from "./pretrain-schema.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

const TINY = [
  ["corpus.documents", "600"],
  ["tokenizer.documents", "300"],
  ["tokenizer.vocab_size", "400"],
  ["model.hidden_size", "32"],
  ["model.intermediate_size", "64"],
  ["model.num_hidden_layers", "2"],
  ["model.num_attention_heads", "2"],
  ["model.num_key_value_heads", "1"],
  ["seq_length", "64"],
  ["batch_size", "8"],
  ["learning_rate", "0.01"],
  ["logging_steps", "5"],
  ["save_steps", "5"],
].flatMap(([k, v]) => ["--set", `${k}=${v}`]);

const pretrain = (out: string, ...extra: string[]) => [
  CLI,
  "pretrain",
  "--output",
  out,
  "--device",
  TEST_DEVICE,
  ...TINY,
  ...extra,
];

test("calign pretrain writes a base model that loads, chats and has learned", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-pretrain-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "run");
  const r = spawnSync(process.execPath, pretrain(out), { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const modelDir = join(out, "model");
  for (const f of [
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "generation_config.json",
  ])
    assert.ok(existsSync(join(modelDir, f)), f);
  assert.ok(existsSync(join(out, "config.effective.yaml")));

  const losses = readMetrics(join(out, "metrics.jsonl")).map((m) => m.loss as number);
  assert.ok(losses.at(-1)! < losses[0]! - 1, `loss did not fall: ${losses.join(", ")}`);

  const tok = loadTokenizer(modelDir);
  const model = loadModel(modelDir, { device: TEST_DEVICE });
  assert.equal(model.config.vocab_size, tok.vocabSize);
  assert.deepEqual(model.eosTokenIds, [tok.eosId]);
  const ids = encodeChat(tok, [{ role: "user", content: "apple" }]);
  assert.deepEqual(
    ids.slice(0, 2).map((i) => tok.idToToken(i)),
    ["<s>", "<|user|>"],
  );
  assert.equal(tok.idToToken(ids.at(-2)!), "<|assistant|>");
  model.dispose();

  const chat = spawnSync(
    process.execPath,
    [
      CLI,
      "generate",
      "--model",
      modelDir,
      "--device",
      TEST_DEVICE,
      "--chat",
      "--max-tokens",
      "8",
      "The first letter of apple",
    ],
    { encoding: "utf8" },
  );
  assert.equal(chat.status, 0, chat.stderr);
});

test("kill -9 mid-run, then --resume: the same weights as an uninterrupted run", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-pretrain-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const full = spawnSync(process.execPath, pretrain(join(dir, "full")), { encoding: "utf8" });
  assert.equal(full.status, 0, full.stderr);

  const cut = join(dir, "cut");
  const child = spawn(process.execPath, pretrain(cut), { stdio: "ignore" });
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (existsSync(cut) && readdirSync(cut).some((n) => /^checkpoint-\d+$/.test(n))) {
        clearInterval(poll);
        child.kill("SIGKILL");
      }
    }, 5);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      if (signal === "SIGKILL") resolve();
      else reject(new Error(`run finished (code ${code}) before it could be killed`));
    });
  });
  const resumed = spawnSync(process.execPath, [...pretrain(cut), "--resume"], { encoding: "utf8" });
  assert.equal(resumed.status, 0, resumed.stderr);
  const a = readFileSync(join(dir, "full", "model", "model.safetensors"));
  const b = readFileSync(join(cut, "model", "model.safetensors"));
  assert.ok(a.equals(b), "resumed weights differ from the uninterrupted run");
});

test("models/base's recipe sets every default that shapes the weights, and differs only in bf16 and checkpointing", () => {
  const recipe = new URL("../../../models/base/recipe.yaml", import.meta.url).pathname;
  const { values, sources } = loadConfig(PRETRAIN_SCHEMA, ["--config", recipe]);
  const defaults = loadConfig(PRETRAIN_SCHEMA, []).values;
  const differ = [...values.keys()].filter(
    (k) => JSON.stringify(values.get(k)) !== JSON.stringify(defaults.get(k)),
  );
  assert.deepEqual(differ.sort(), ["bf16", "save_steps", "save_total_limit"]);
  // Spelled out, so the recipe stays whole if a default changes.
  for (const key of [
    "corpus.documents",
    "corpus.wordnet",
    "model.hidden_size",
    "learning_rate",
    "seq_length",
  ])
    assert.match(sources.get(key) ?? "", /recipe\.yaml:\d+$/, key);
});

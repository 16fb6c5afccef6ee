// `calign pretrain` end to end on a tiny recipe: a loadable Hugging Face folder whose tokenizer and chat
// template work with `calign generate --chat`, a falling loss, and kill -9 then --resume reaching the
// same weights as an uninterrupted run.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { loadModel } from "../models/index.js";
import { encodeChat, loadTokenizer } from "../tokenizers/index.js";
import { readMetrics } from "../train/metrics-log.js";

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

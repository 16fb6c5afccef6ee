// `calign dpo` as users meet it: --help documents every knob and the negative-rewards caveat; bad data
// exits 1 with file:line: field and no stack trace.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tinyModelDir } from "../../../test/helpers/tiny-model.js";
import { flagOf, flatten } from "../../config/index.js";
import { engineInfo } from "../../engine/index.js";
import { DPO_SCHEMA } from "../../train/dpo-schema.js";
import { dpo } from "./dpo.js";

const CLI = new URL("../../../../bin/calign.js", import.meta.url).pathname;

test("calign dpo --help documents every option, the losses and the negative-rewards caveat", () => {
  for (const [key] of flatten(DPO_SCHEMA)) assert.match(dpo.help, new RegExp(`--${flagOf(key)}\\b`), key);
  for (const s of [
    "sigmoid",
    "hinge",
    "ipo",
    "ranking",
    "rewards/chosen often goes negative",
    "--sft-weight",
  ])
    assert.ok(dpo.help.includes(s), s);
});

test("calign dpo: bad data exits 1 naming file, line and field, without a stack trace", () => {
  const { dir, model } = tinyModelDir(60);
  model.dispose();
  try {
    const data = join(dir, "bad.jsonl");
    writeFileSync(data, '{"prompt": "a", "chosen": "b", "rejected": "c"}\n{"prompt": "a", "chosen": "b"}\n');
    const r = spawnSync(
      process.execPath,
      [
        CLI,
        "dpo",
        "--model",
        dir,
        "--data",
        data,
        "--output",
        join(dir, "out"),
        "--reference-cache",
        join(dir, "c"),
      ],
      { encoding: "utf8" },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`calign dpo: ${data}:2: rejected: missing`));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("calign dpo --device cuda on a CPU-only build: exit 1 saying so, nothing written", {
  skip: engineInfo().cudaAvailable ? "this libtorch has CUDA" : false,
}, () => {
  const { dir, model } = tinyModelDir(60);
  model.dispose();
  try {
    const data = join(dir, "pairs.jsonl");
    writeFileSync(data, '{"prompt": "a", "chosen": "b", "rejected": "c"}\n');
    const out = join(dir, "out");
    const args = [CLI, "dpo", "--model", dir, "--data", data, "--output", out, "--device", "cuda"];
    const r = spawnSync(process.execPath, args, { encoding: "utf8" });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /calign dpo: --device 'cuda': this calign's libtorch \(.*\) has no CUDA/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A half-precision --dtype trains only a frozen base under LoRA (full fine-tuning keeps float32 master
// weights): sft, dpo and calign run's trainer sections refuse it without use_lora before anything is
// written, naming the option; a dtype the CPU cannot multiply in is refused the same way.
import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { calignResult } from "../../../test/helpers/calign-cli.js";
import { pipelineFixture } from "../../../test/helpers/pipeline-fixture.js";
import { cpuHalfSkip } from "../../../test/helpers/test-device.js";
import { tinyModelDir } from "../../../test/helpers/tiny-model.js";

const REFUSAL =
  "weights train only as a frozen base under use_lora; full fine-tuning keeps float32 master weights";

test("sft and dpo --dtype bfloat16 without --use-lora: refused naming the flag, nothing written", () => {
  const { dir, model } = tinyModelDir(62);
  model.dispose();
  try {
    const sftData = join(dir, "sft.jsonl");
    writeFileSync(sftData, '{"prompt": "a", "completion": "b"}\n');
    const pairs = join(dir, "pairs.jsonl");
    writeFileSync(pairs, '{"prompt": "a", "chosen": "b", "rejected": "c"}\n');
    for (const [command, data] of [
      ["sft", sftData],
      ["dpo", pairs],
    ] as const) {
      const out = join(dir, command);
      const r = calignResult(command, "--model", dir, "--data", data, "--output", out, "--dtype", "bfloat16");
      assert.equal(r.status, 1, r.stderr);
      assert.ok(r.stderr.startsWith(`calign ${command}: --dtype bfloat16: bfloat16 ${REFUSAL}`), r.stderr);
      assert.equal(existsSync(out), false, `${command}: nothing written`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("calign run: sft.dtype or cat.dtype float16 without use_lora stops the run before its first stage", () => {
  const { dir, config } = pipelineFixture(23);
  try {
    for (const section of ["sft", "cat"]) {
      const out = join(dir, `run-${section}`);
      const r = calignResult("run", config, "--output", out, `--${section}.dtype`, "float16");
      assert.equal(r.status, 1, r.stderr);
      assert.equal(
        r.stderr.split("\n")[0],
        `calign run: --${section}.dtype: ${section}.dtype: float16 ${REFUSAL} (bf16 computes the matmuls in bfloat16)`,
      );
      assert.equal(existsSync(out), false, `${section}: nothing written`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("generate and sft --dtype float16 on a CPU this libtorch has no float16 matmul for: refused, nothing written", {
  skip: cpuHalfSkip(),
}, () => {
  const { dir, model } = tinyModelDir(63);
  model.dispose();
  try {
    const prompts = join(dir, "prompts.jsonl");
    writeFileSync(prompts, '{"id": 1, "prompt": "a"}\n');
    const data = join(dir, "sft.jsonl");
    writeFileSync(data, '{"prompt": "a", "completion": "b"}\n');
    const out = join(dir, "out");
    for (const args of [
      ["generate", "--input", prompts, "--output", join(out, "g.jsonl")],
      ["sft", "--data", data, "--output", out, "--use-lora"],
    ]) {
      const r = calignResult(...args, "--model", dir, "--dtype", "float16", "--device", "cpu");
      assert.equal(r.status, 1, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `^calign ${args[0]}: dtype float16 on cpu: this calign's libtorch \\(.+\\) has no float16 matrix product there; use bfloat16 or float32\n`,
        ),
      );
      assert.equal(existsSync(out), false, `${args[0]}: nothing written`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

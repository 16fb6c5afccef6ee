// The demo's presets on this machine: bf16 for each trainer whose device computes it natively, unless
// the user set that trainer's bf16 (their flag wins, and the line printed names only the others).
import assert from "node:assert/strict";
import { test } from "node:test";
import { RUN_SCHEMA } from "../align/run-schema.js";
import { loadConfig } from "../config/index.js";
import { computesBf16Natively } from "../engine/index.js";
import { listFamilies, trainGroups, WORKED_ANSWER_PATTERN } from "../tasks/index.js";
import { FULL, QUICK, withNativeBf16, withWorkedAnswers } from "./presets.js";

const native = computesBf16Natively("cpu");
const values = (extra: Record<string, string> = {}) =>
  new Map<string, unknown>(
    Object.entries({ device: "cpu", "sft.device": "auto", "cat.device": "auto", ...extra }),
  );

test("withNativeBf16: both trainers on a CPU with bf16, none without; the preset itself untouched", () => {
  for (const preset of [FULL, QUICK]) {
    const { preset: out, bf16 } = withNativeBf16(preset, values(), new Set());
    assert.deepEqual(bf16, native ? ["sft", "cat"] : []);
    assert.deepEqual(out.flags, [
      ...preset.flags,
      ...(native ? ["--sft.bf16", "true", "--cat.bf16", "true"] : []),
    ]);
    assert.deepEqual(out.sizes, preset.sizes);
    assert.deepEqual(out.seeds, preset.seeds);
    assert.equal(preset.flags.includes("--sft.bf16"), false);
  }
});

test("withNativeBf16: a trainer whose bf16 the user set is left to the user", () => {
  const { preset, bf16 } = withNativeBf16(FULL, values(), new Set(["sft.bf16", "device"]));
  assert.deepEqual(bf16, native ? ["cat"] : []);
  assert.equal(preset.flags.includes("--sft.bf16"), false);
  const both = withNativeBf16(FULL, values(), new Set(["sft.bf16", "cat.bf16"]));
  assert.deepEqual(both.bf16, []);
  assert.deepEqual(both.preset.flags, FULL.flags);
});

test("withNativeBf16: a trainer's own device wins over auto, and a device that is not there is an error", () => {
  const { bf16 } = withNativeBf16(
    FULL,
    values({ device: "auto", "sft.device": "cpu", "cat.device": "cpu" }),
    new Set(),
  );
  assert.deepEqual(bf16, native ? ["sft", "cat"] : []);
  assert.throws(
    () => withNativeBf16(FULL, values({ device: "gpu" }), new Set()),
    /device 'gpu' is not one of/,
  );
});

test("withWorkedAnswers: worked targets, the answer pattern and room for worked answers, set after the preset's flags", () => {
  for (const preset of [FULL, QUICK]) {
    const worked = withWorkedAnswers(preset);
    assert.equal(worked.worked, true);
    assert.deepEqual(worked.flags.slice(0, preset.flags.length), preset.flags);
    const { values } = loadConfig(RUN_SCHEMA, worked.flags);
    assert.equal(values.get("answer_pattern"), WORKED_ANSWER_PATTERN);
    for (const [key, value] of [
      ["sft.max_length", 320],
      ["cat.max_length", 320],
      ["sample.max_tokens", 144],
      ["evaluate.max_tokens", 144],
    ] as const)
      assert.equal(values.get(key), value, key);
    // The room is enough: the longest worked answer of the demo's training items, and with its prompt.
    const longest = Math.max(
      ...listFamilies().flatMap((f) =>
        trainGroups(f, { seed: 0, count: preset.sizes.train, worked: true }).map(
          (g) => g.target?.length ?? 0,
        ),
      ),
    );
    assert.ok(longest <= 144, `${longest} characters`);
  }
});

// --dtype wherever calign's engine opens a model for inference: a stage command, calign metrics' judge
// and a check target load the model in it (their answers are those of that dtype, not float32's), and a
// dtype the device cannot multiply in is refused before anything is written, by the stage commands,
// `calign run` and `calign demo` (`dtype`), metrics and check.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { calign, calignResult, jsonLines } from "../../../test/helpers/calign-cli.js";
import { pipelineFixture } from "../../../test/helpers/pipeline-fixture.js";
import { cpuHalfSkip, TEST_DEVICE } from "../../../test/helpers/test-device.js";
import { instancePrompt } from "../../align/instance-prompt.js";
import type { ParaphraseGroup } from "../../data/index.js";

const jsonl = (xs: unknown[]) => xs.map((x) => `${JSON.stringify(x)}\n`).join("");

test("evaluate --dtype bfloat16 answers as generate --dtype bfloat16 does, not as float32 does", () => {
  // Seed 4's tiny model answers one of the held-out prompts otherwise in bfloat16.
  const { dir } = pipelineFixture(4);
  try {
    const evalSet = join(dir, "eval.jsonl");
    const groups = jsonLines(evalSet) as ParaphraseGroup[];
    const prompts = join(dir, "prompts.jsonl");
    writeFileSync(
      prompts,
      jsonl(
        groups.flatMap((g) => g.variants.map((v) => ({ id: 0, prompt: instancePrompt(v.text, g.input) }))),
      ),
    );
    const settings = ["--max-tokens", "8", "--batch-size", "1", "--device", TEST_DEVICE];
    const generated = (dtype: string) => {
      const out = join(dir, `generated-${dtype}.jsonl`);
      calign(
        "generate",
        "--model",
        dir,
        "--input",
        prompts,
        "--output",
        out,
        "--temperature",
        "0",
        "--dtype",
        dtype,
        ...settings,
      );
      return jsonLines(out).map((r: { text: string }) => r.text.trim());
    };
    const bf16 = generated("bfloat16");
    assert.notDeepEqual(
      bf16,
      generated("float32"),
      "the model must answer some prompt otherwise in bfloat16",
    );
    const out = join(dir, "eval");
    calign(
      "evaluate",
      "--input",
      evalSet,
      "--output",
      out,
      "--systems",
      `m=${dir}`,
      "--chat",
      "false",
      "--bootstrap",
      "10",
      "--dtype",
      "bfloat16",
      ...settings,
    );
    const answered = (jsonLines(join(out, "m.responses.jsonl")) as ParaphraseGroup[]).flatMap((g) =>
      g.variants.map((v) => v.response),
    );
    assert.deepEqual(answered, bf16);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Responses to judge: one item, two wordings answered differently. */
function responsesFile(dir: string): string {
  const file = join(dir, "responses.jsonl");
  const variant = (text: string, origin: string, response: string) => ({ text, origin, response });
  writeFileSync(
    file,
    jsonl([
      {
        id: "1",
        instruction: "x",
        variants: [variant("x", "original", "Paris"), variant("y", "rule", "Lyon")],
      },
    ]),
  );
  return file;
}

/** A check config on the mock, judged by the model at `dir` in `dtype`. */
function checkConfig(dir: string, dtype: string): string {
  const file = join(dir, `check-${dtype}.yaml`);
  writeFileSync(
    file,
    [
      'system: { mock: "Paris" }',
      'cases: [{ id: capital, instruction: "Name the capital of {input}.", input: France, variants: ["Which city is the capital of {input}?"] }]',
      "similarity:",
      "  method: judge",
      `  judge: { path: ${dir}, device: ${TEST_DEVICE}, dtype: ${dtype} }`,
      "",
    ].join("\n"),
  );
  return file;
}

test("metrics --dtype and a check judge's dtype: the judge model loads in it", () => {
  const { dir } = pipelineFixture(4);
  try {
    const responses = responsesFile(dir);
    const metricsCr = (dtype: string) => {
      const out = join(dir, `metrics-${dtype}.json`);
      calign(
        "metrics",
        responses,
        "--sim",
        "judge",
        "--judge",
        dir,
        "--output",
        out,
        "--bootstrap",
        "10",
        "--device",
        TEST_DEVICE,
        "--dtype",
        dtype,
      );
      return JSON.parse(readFileSync(out, "utf8")).figures.cr_macro.value as number;
    };
    assert.notEqual(metricsCr("bfloat16"), metricsCr("float32"));
    // One cache for both: a bfloat16 judge's verdicts are its own, never float32's read back.
    const checkCr = (dtype: string) => {
      const out = join(dir, `check-${dtype}`);
      calign("check", checkConfig(dir, dtype), "--output-dir", out, "--cache-dir", join(dir, "cache"));
      return JSON.parse(readFileSync(join(out, "check.json"), "utf8")).cases[0].item.consistency as number;
    };
    assert.notEqual(checkCr("bfloat16"), checkCr("float32"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("float16 on a CPU this libtorch has no float16 matmul for: a stage command, run, demo, metrics and check refuse it, nothing written", {
  skip: cpuHalfSkip(),
}, () => {
  const { dir, config } = pipelineFixture(5);
  try {
    const out = join(dir, "out");
    const half = ["--dtype", "float16", "--device", "cpu"];
    const refusal =
      "dtype float16 on cpu: this calign's libtorch \\(.+\\) has no float16 matrix product there; use bfloat16 or float32";
    const cases: [string[], string, number][] = [
      [
        [
          "sample",
          "--input",
          join(dir, "train.jsonl"),
          "--output",
          join(out, "s.jsonl"),
          "--model",
          dir,
          ...half,
        ],
        "sample: --",
        1,
      ],
      [
        ["evaluate", "--input", join(dir, "eval.jsonl"), "--output", out, "--systems", `m=${dir}`, ...half],
        "evaluate: --",
        1,
      ],
      [["run", config, "--output", out, ...half], "run: --dtype: ", 1],
      [["demo", "--quick", "--output", out, "--base", dir, ...half], "demo: --dtype: ", 1],
      [
        [
          "metrics",
          responsesFile(dir),
          "--sim",
          "judge",
          "--judge",
          dir,
          "--output",
          join(out, "m.json"),
          ...half,
        ],
        "metrics: --",
        1,
      ],
      [
        ["check", checkConfig(dir, "float16"), "--output-dir", out],
        "check: .+check-float16\\.yaml:5: similarity\\.judge\\.dtype: ",
        2,
      ],
    ];
    for (const [args, prefix, status] of cases) {
      const r = calignResult(...args);
      assert.equal(r.status, status, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^calign ${prefix}${refusal}\n`), args[0]);
      assert.equal(existsSync(out), false, `${args[0]} wrote ${out}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

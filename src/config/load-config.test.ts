// Config resolution order, coercion, and errors that name the file, line or flag, and the key.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { ConfigError, loadConfig, nest, type Schema, saveEffectiveConfig, schemaHelp } from "./index.js";

const SCHEMA: Schema = {
  model: { type: "string", default: null, help: "model directory" },
  train: {
    lr: { type: "number", default: 1e-5, help: "peak learning rate", min: 0 },
    epochs: { type: "integer", default: 1, help: "passes over the data", min: 1 },
    packing: { type: "boolean", default: false, help: "pack sequences" },
    scheduler: {
      type: "string",
      default: "cosine",
      help: "decay",
      choices: ["cosine", "linear", "constant"],
    },
  },
  targets: { type: "string[]", default: ["q_proj", "v_proj"], help: "LoRA target modules" },
};

function withFile(text: string, fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "calign-config-"));
  try {
    const path = join(dir, "c.yaml");
    writeFileSync(path, text);
    fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("defaults, then the config file, then flags", () => {
  withFile("model: ./m\ntrain:\n  lr: 3e-4\n  epochs: 2\n", (path) => {
    const c = loadConfig(SCHEMA, [
      "data.jsonl",
      "--config",
      path,
      "--train.epochs=5",
      "--train.packing",
      "--targets",
      "a,b",
    ]);
    assert.equal(c.values.get("model"), "./m");
    assert.equal(c.values.get("train.lr"), 3e-4);
    assert.equal(c.values.get("train.epochs"), 5);
    assert.equal(c.values.get("train.packing"), true);
    assert.equal(c.values.get("train.scheduler"), "cosine");
    assert.deepEqual(c.values.get("targets"), ["a", "b"]);
    assert.deepEqual(c.positionals, ["data.jsonl"]);
    assert.equal(c.sources.get("train.lr"), `${path}:3`);
    assert.equal(c.sources.get("train.epochs"), "--train.epochs");
    assert.equal(c.sources.get("train.scheduler"), "default");
  });
});

test("one spelling: kebab-case flags set snake_case keys; the underscore flag is refused with the right one", () => {
  const schema: Schema = {
    max_steps: { type: "integer", default: 1, help: "h" },
    group_by_length: { type: "boolean", default: true, help: "h" },
    sft: { learning_rate: { type: "number", default: 1, help: "h" } },
  };
  const c = loadConfig(schema, ["--max-steps", "7", "--no-group-by-length", "--sft.learning-rate=0.5"]);
  assert.equal(c.values.get("max_steps"), 7);
  assert.equal(c.values.get("group_by_length"), false);
  assert.equal(c.values.get("sft.learning_rate"), 0.5);
  assert.throws(
    () => loadConfig(schema, ["--max_steps", "7"]),
    /^ConfigError: --max_steps: flags are spelled --max-steps$/,
  );
  assert.throws(
    () => loadConfig(schema, ["--no-group_by_length"]),
    /^ConfigError: --no-group_by_length: flags are spelled --no-group-by-length$/,
  );
  // Config keys and --set keep the snake_case key.
  assert.equal(loadConfig(schema, ["--set", "sft.learning_rate=2"]).values.get("sft.learning_rate"), 2);
  assert.match(schemaHelp(schema), /--max-steps INTEGER/);
  assert.doesNotMatch(schemaHelp(schema), /max_steps/);
});

test("short letters, repeated list flags, and '-' as a positional", () => {
  const schema: Schema = {
    output: { type: "string", default: null, short: "o", help: "h" },
    stop: { type: "string[]", default: [], repeat: true, help: "h" },
    tags: { type: "string[]", default: [], help: "h" },
  };
  const c = loadConfig(schema, ["-", "-o", "out.jsonl", "--stop", "a, b", "--stop", "END", "--tags", "x,y"]);
  assert.equal(c.values.get("output"), "out.jsonl");
  assert.deepEqual(c.values.get("stop"), ["a, b", "END"]);
  assert.deepEqual(c.values.get("tags"), ["x", "y"]);
  assert.deepEqual(c.positionals, ["-"]);
  assert.throws(() => loadConfig(schema, ["-x"]), /^ConfigError: -x: unknown option/);
  assert.match(schemaHelp(schema), /-o, --output STRING/);
});

test("--no-flag, --set key=value and JSON files", () => {
  withFile('{"train": {"packing": true}}', (path) => {
    const c = loadConfig(SCHEMA, ["--config", path, "--no-train.packing", "--set", "train.scheduler=linear"]);
    assert.equal(c.values.get("train.packing"), false);
    assert.equal(c.values.get("train.scheduler"), "linear");
  });
});

test("errors name the file and line, or the flag, and the key", () => {
  withFile("train:\n  lr: fast\n", (path) => {
    assert.throws(
      () => loadConfig(SCHEMA, ["--config", path]),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.message, `${path}:2: train.lr: must be a number, got "fast"`);
        return true;
      },
    );
  });
  withFile("train:\n  lr: 1\n  warmup: 3\n", (path) => {
    assert.throws(() => loadConfig(SCHEMA, ["--config", path]), /c\.yaml:3: train\.warmup: unknown key/);
  });
  withFile("train: [1, 2\n", (path) => {
    assert.throws(() => loadConfig(SCHEMA, ["--config", path]), /c\.yaml:\d+: \(syntax\)/);
  });
  assert.throws(
    () => loadConfig(SCHEMA, ["--train.epochs", "0"]),
    /^ConfigError: --train\.epochs: must be >= 1, got 0$/,
  );
  assert.throws(() => loadConfig(SCHEMA, ["--train.epochs", "1.5"]), /must be an integer/);
  assert.throws(
    () => loadConfig(SCHEMA, ["--train.scheduler", "step"]),
    /must be one of cosine, linear, constant/,
  );
  assert.throws(
    () => loadConfig(SCHEMA, ["--train.lrr", "1"]),
    /^ConfigError: --train\.lrr: unknown option \(did you mean --train\.lr\?\)$/,
  );
  assert.throws(() => loadConfig(SCHEMA, ["--train.lr"]), /expected a value/);
  assert.throws(
    () => loadConfig(SCHEMA, ["--config", "/nonexistent/c.yaml"]),
    /\/nonexistent\/c\.yaml: \(file\): cannot read/,
  );
});

test("the effective config is saved as YAML that loads back to the same values", () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-config-"));
  try {
    const c = loadConfig(SCHEMA, ["--train.lr", "0.5"]);
    const path = saveEffectiveConfig(dir, c, "sft");
    const back = parse(readFileSync(path, "utf8"));
    assert.deepEqual(back, nest(c.values));
    assert.deepEqual(loadConfig(SCHEMA, ["--config", path]).values, c.values);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("help lists every option with its default", () => {
  const help = schemaHelp(SCHEMA);
  for (const key of [
    "--model",
    "--train.lr",
    "--train.epochs",
    "--train.packing",
    "--train.scheduler",
    "--targets",
  ]) {
    assert.ok(help.includes(key), key);
  }
  assert.match(help, /--train\.lr NUMBER\s+peak learning rate \(default: 0\.00001\)/);
  assert.match(help, /--train\.scheduler cosine\|linear\|constant\s+decay \(default: cosine\)/);
});

// Typed settings from a section of loaded values: camelCase keys, the loaded values as they are,
// required options checked, and values that do not fit their option refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig, type OptionSchema, sectionValues, settingsOf } from "./index.js";

const SECTION = {
  source: { type: "string", default: "rules", choices: ["rules", "pool"] as const, help: "where from" },
  per_item: { type: "integer", default: 0, min: 0, help: "per item" },
  near_duplicate: { type: "number", default: 0.9, help: "threshold" },
  pool: { type: "string", default: null, help: "pool file" },
  keep_all: { type: "boolean", default: false, help: "keep everything" },
} satisfies OptionSchema;

const TOP = { input: { type: "string", default: null, help: "input" } } satisfies OptionSchema;
const SCHEMA = { ...TOP, augment: SECTION };

test("a section's values become camelCase settings, defaults and flags alike", () => {
  const loaded = loadConfig(SCHEMA, ["--augment.per-item", "3", "--augment.source", "pool", "--input", "x"]);
  const s = settingsOf(SECTION, loaded.values, { prefix: "augment." });
  assert.deepEqual(s, { source: "pool", perItem: 3, nearDuplicate: 0.9, pool: null, keepAll: false });
  const top = settingsOf(TOP, loaded.values, { required: ["input"] });
  assert.deepEqual(top, { input: "x" });
});

test("a required option left null throws the caller's error; without one, a plain one", () => {
  const loaded = loadConfig(SCHEMA, []);
  assert.throws(
    () =>
      settingsOf(TOP, loaded.values, {
        required: ["input"],
        missing: (k) => new Error(`--${k} please`),
      }),
    /^Error: --input please$/,
  );
  assert.throws(() => settingsOf(TOP, loaded.values, { required: ["input"] }), {
    message: "input is required",
  });
});

test("values that do not fit their option are refused, naming the key", () => {
  const values = new Map<string, string | number | boolean | string[] | null>([
    ["augment.source", "model"],
    ["augment.per_item", 1],
    ["augment.near_duplicate", 0.5],
    ["augment.pool", null],
    ["augment.keep_all", true],
  ]);
  assert.throws(
    () => settingsOf(SECTION, values, { prefix: "augment." }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.key, "augment.source");
      return true;
    },
  );
  values.set("augment.source", "rules");
  values.delete("augment.keep_all");
  assert.throws(() => settingsOf(SECTION, values, { prefix: "augment." }), /augment\.keep_all/);
});

test("sectionValues strips the prefix and leaves other sections out", () => {
  const loaded = loadConfig(SCHEMA, ["--augment.pool", "p.json"]);
  assert.deepEqual(sectionValues(loaded.values, "augment."), {
    source: "rules",
    per_item: 0,
    near_duplicate: 0.9,
    pool: "p.json",
    keep_all: false,
  });
});

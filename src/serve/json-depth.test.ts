// jsonDeeperThan against JSON.parse's own structure: the depth of the parsed value, computed recursively.
import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonDeeperThan } from "./json-depth.js";

function parsedDepth(v: unknown): number {
  if (v === null || typeof v !== "object") return 0;
  const kids = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...kids.map(parsedDepth));
}

test("jsonDeeperThan agrees with the depth of the parsed value, brackets in strings ignored", () => {
  const texts = [
    "{}",
    "[]",
    '{"a": [1, [2, {"b": 3}]]}',
    '{"s": "[[[{{{", "t": ["]]]}}}"]}',
    '{"q": "a \\" [[[ \\\\", "r": [[]]}',
    '[{"x": "\\\\"}, [[[["\\u005b"]]]]]',
    '"just a string [["',
    "42",
  ];
  for (const t of texts) {
    const d = parsedDepth(JSON.parse(t));
    assert.equal(jsonDeeperThan(t, d), false, `${t} at its own depth ${d}`);
    if (d > 0) assert.equal(jsonDeeperThan(t, d - 1), true, `${t} above ${d - 1}`);
  }
});

test("issue 16 item 1: a body nested 3 million levels deep is found deeper than the limit at once", () => {
  const deep = `${"[".repeat(3_000_000)}${"]".repeat(3_000_000)}`;
  assert.equal(jsonDeeperThan(deep, 16), true);
  assert.equal(jsonDeeperThan(`{"prompt": ${"[".repeat(16)}${"]".repeat(16)}}`, 16), true);
  assert.equal(jsonDeeperThan(`{"prompt": ${"[".repeat(15)}${"]".repeat(15)}}`, 16), false);
});

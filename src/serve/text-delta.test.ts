// Streamed pieces join to the final text: a stop string split across tokens is never sent, and
// neither is half of a multi-byte character.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { loadTokenizer } from "../tokenizers/index.js";
import { TextDelta } from "./text-delta.js";

test("text before a stop string streams; the stop string and what follows do not", (t) => {
  const tiny = tinyModelDir(0);
  t.after(() => {
    tiny.model.dispose();
    rmSync(tiny.dir, { recursive: true, force: true });
  });
  const tok = loadTokenizer(tiny.dir);
  const run = (text: string, stops: string[]) => {
    const d = new TextDelta(tok, stops);
    const pieces = tok.encode(text, { addSpecialTokens: false }).map((id) => d.push(id));
    return { pieces, rest: d.finish() };
  };
  const a = run("abc STOP xyz", ["STOP"]);
  assert.equal(a.pieces.join("") + a.rest, "abc ");
  assert.ok(!a.pieces.join("").includes("S"), "a prefix of the stop string was held back");
  const b = run("né€", []);
  // One token per byte: é is 2 bytes, € is 3; no piece carries U+FFFD.
  assert.deepEqual(
    b.pieces.filter((p) => p !== ""),
    ["n", "é", "€"],
  );
  assert.equal(b.rest, "");
});

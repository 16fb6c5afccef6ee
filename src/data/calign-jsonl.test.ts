import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readAllGroups, writeGroups } from "./calign-jsonl.js";
import { DataError } from "./errors.js";
import type { ParaphraseGroup } from "./group.js";
import { memorySource } from "./source.js";

const GROUP: ParaphraseGroup = {
  id: "t1-0",
  task: "t1",
  instruction: "Translate to French.",
  input: "Good morning",
  variants: [
    {
      text: "Translate to French.",
      origin: "original",
      response: "Bonjour",
      logprobs: [-1, -2.5],
      responseTokens: 2,
    },
    {
      text: "Put this into French.",
      origin: "model",
      response: "Bonjour !",
      logprobs: [-3, -0.5],
      responseTokens: 3,
    },
  ],
  references: ["Bonjour"],
  meta: { source: "test", nested: [1, 2] },
};

function readAll(text: string): Promise<ParaphraseGroup[]> {
  return readAllGroups(memorySource("groups.jsonl", text));
}

async function rejects(text: string, message: string | RegExp): Promise<void> {
  await assert.rejects(readAll(text), (err: unknown) => {
    assert.ok(err instanceof DataError, String(err));
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

test("calign JSONL: write then read gives the same groups; defaults fill optional fields", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "calign-groups-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "g.jsonl");
  const minimal: ParaphraseGroup = {
    id: "2",
    instruction: "Say hi.",
    input: "",
    variants: [{ text: "Say hi.", origin: "original" }],
    references: [],
  };
  await writeGroups(path, [GROUP, minimal]);
  assert.deepEqual(await readAll(readFileSync(path, "utf8")), [GROUP, minimal]);
  assert.equal(
    readFileSync(path, "utf8").split("\n")[1],
    '{"id":"2","instruction":"Say hi.","variants":[{"text":"Say hi.","origin":"original"}]}',
  );
  assert.deepEqual(readdirSync(dir), ["g.jsonl"]);
});

test("calign JSONL: every kind of bad record names file, line and field", async () => {
  const ok = '{"id":"a","instruction":"x","variants":[{"text":"x","origin":"original"}]}';
  await rejects(`${ok}\n{"id": "b",`, /^groups\.jsonl:2: \(json\): malformed JSON: /);
  await rejects('{"instruction":"x","variants":[]}', "groups.jsonl:1: id: missing");
  await rejects(
    '{"id":7,"instruction":"x","variants":[]}',
    "groups.jsonl:1: id: expected a string, got a number",
  );
  await rejects(
    '{"id":"a","instruction":"x","variants":[]}',
    "groups.jsonl:1: variants: empty group: at least one variant is needed",
  );
  await rejects(`${ok}\n\n${ok}`, 'groups.jsonl:3: id: duplicate id "a" (first on line 1)');
  await rejects(
    '{"id":"a","instruction":"x","variants":[{"text":"x","origin":"original","respons":"typo"}]}',
    "groups.jsonl:1: variants[0].respons: unknown field (expected one of: text, origin, response, logprobs, response_tokens)",
  );
  await rejects(
    '{"id":"a","instruction":"x","variants":[{"text":"x","origin":"original","logprobs":[-1,-2]}]}',
    "groups.jsonl:1: variants[0].logprobs: expected 1 values (one per variant), got 2",
  );
  await rejects(
    '{"id":"a","instruction":"x","variants":[{"text":"x","origin":"original","logprobs":[0.5]}]}',
    "groups.jsonl:1: variants[0].logprobs[0]: must be at most 0, got 0.5",
  );
  await rejects(
    '{"id":"a","instruction":"x","variants":[{"text":"x","origin":"o"}],"references":["r",3]}',
    "groups.jsonl:1: references[1]: expected a string, got a number",
  );
  await rejects("[1,2]", "groups.jsonl:1: (record): expected an object, got an array");
  await rejects(
    '{"id":"a","instruction":"x","variants":[{"text":"x","origin":"original"},{"text":"y","origin":"original"}]}',
    'groups.jsonl:1: variants: more than one variant has origin "original"',
  );
});

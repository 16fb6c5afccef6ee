// generate and score against the model's context (256 positions on the tiny byte-level model, one
// token per byte after BOS): an input that does not fit stops the command before any work with the
// file, line and field named and nothing written; --truncation keep_start / keep_end score and
// generate exactly what the library gives for the prompt cut by hand.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../../test/fixtures.js";
import { tinyModelDir } from "../../../test/helpers/tiny-model.js";
import { generateTextFromIds, scoreTokens } from "../../models/index.js";
import { loadTokenizer, type Tokenizer } from "../../tokenizers/index.js";

const BIN = fileURLToPath(new URL("../../../../bin/calign.js", import.meta.url));
const CONTEXT = 256;

let tiny: ReturnType<typeof tinyModelDir>;
let tok: Tokenizer;
let tmp: ReturnType<typeof tempDir>;

before(() => {
  tiny = tinyModelDir(5);
  tok = loadTokenizer(tiny.dir);
  tmp = tempDir();
});
after(() => {
  tiny.model.dispose();
  rmSync(tiny.dir, { recursive: true, force: true });
  tmp.remove();
});

function calign(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, CALIGN_ENGINE_ENV: "1" },
  });
}

function jsonl(name: string, rows: unknown[]): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return path;
}

const readJsonl = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

test("issue 16 item 2: score refuses a completion or prompt past the context, before any work", () => {
  const out = join(tmp.dir, "never.jsonl");
  const long = jsonl("long-completion.jsonl", [
    { id: "ok", prompt: "Hi", completion: " there" },
    { id: "big", prompt: "Hi", completion: "c".repeat(300) },
  ]);
  const r = calign(["score", "--model", tiny.dir, "--input", long, "-o", out]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stderr,
    /long-completion\.jsonl:2: completion: the completion \(300 tokens\) leaves no room for the prompt in the model's context of 256 tokens/,
  );
  assert.equal(existsSync(out), false);

  const longPrompt = jsonl("long-prompt.jsonl", [{ id: "p", prompt: "x".repeat(600), completion: "abc" }]);
  const p = calign(["score", "--model", tiny.dir, "--input", longPrompt, "-o", out]);
  assert.equal(p.status, 1, p.stderr);
  assert.match(
    p.stderr,
    /long-prompt\.jsonl:1: prompt: 601 tokens \+ the completion \(3 tokens\) exceed the model's context of 256 tokens; shorten it or pass --truncation keep_start or keep_end/,
  );
  assert.doesNotMatch(p.stderr, /at .*\.js:\d+/, "no stack trace");
  assert.equal(existsSync(out), false);
});

test("issue 16 item 2: score --truncation keep_start / keep_end score the prompt cut by hand", () => {
  const prompt = `${"the start ".repeat(20)}${"and the end ".repeat(40)}`;
  const input = jsonl("cut.jsonl", [{ id: "p", prompt, completion: " done" }]);
  const ids = tok.encode(prompt);
  const completion = tok.encode(" done", { addSpecialTokens: false });
  const room = CONTEXT - completion.length;
  assert.ok(ids.length > room);
  for (const [mode, cut] of [
    ["keep_start", ids.slice(0, room)],
    ["keep_end", ids.slice(-room)],
  ] as const) {
    const out = join(tmp.dir, `${mode}.jsonl`);
    const r = calign(["score", "--model", tiny.dir, "--input", input, "-o", out, "--truncation", mode]);
    assert.equal(r.status, 0, r.stderr);
    const [want] = scoreTokens(tiny.model, [{ prompt: cut, completion }]);
    const [got] = readJsonl(out);
    assert.equal(got.token_logprobs.length, completion.length);
    got.token_logprobs.forEach((lp: number, i: number) => {
      assert.ok(
        Math.abs(lp - want!.tokenLogprobs[i]!) < 1e-5,
        `${mode} token ${i}: ${lp} vs ${want!.tokenLogprobs[i]}`,
      );
    });
  }
});

test("issue 16 item 2: generate refuses a prompt that leaves no room for --max-tokens; keep_end generates from its tail", () => {
  const prompt = "y".repeat(300);
  const one = calign(["generate", "--model", tiny.dir, "--max-tokens", "8", prompt]);
  assert.equal(one.status, 1, one.stderr);
  assert.match(
    one.stderr,
    /PROMPT: prompt: 301 tokens \+ --max-tokens \(8 tokens\) exceed the model's context of 256 tokens/,
  );
  assert.equal(one.stdout, "");
  const all = calign(["generate", "--model", tiny.dir, "--max-tokens", "256", "Hi"]);
  assert.equal(all.status, 1);
  assert.match(all.stderr, /--max-tokens 256 leaves no room for a prompt in the model's context of 256/);

  const input = jsonl("prompts.jsonl", [
    { id: "short", prompt: "Hi" },
    { id: "long", prompt: `${"z".repeat(200)}${"0123456789".repeat(10)}` },
  ]);
  const out = join(tmp.dir, "gen.jsonl");
  const generate = (...extra: string[]) =>
    calign(["generate", "--model", tiny.dir, "--input", input, "-o", out, "--max-tokens", "8", ...extra]);
  const refused = generate();
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /prompts\.jsonl:2: prompt: 301 tokens/);
  assert.equal(existsSync(out), false);

  const r = generate("--truncation", "keep_end");
  assert.equal(r.status, 0, r.stderr);
  const ids = tok.encode(`${"z".repeat(200)}${"0123456789".repeat(10)}`);
  const want = generateTextFromIds(tiny.model, tok, [tok.encode("Hi"), ids.slice(-(CONTEXT - 8))], {
    maxNewTokens: 8,
    temperature: 0,
  });
  assert.deepEqual(
    readJsonl(out).map((l) => l.text),
    want.map((g) => g.text),
  );
});

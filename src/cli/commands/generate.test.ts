// calign generate / score / tokens end to end on the stories260k GGUF: JSONL in and out, the same
// results as the library, and bad input rejected with file, line and field and no partial output.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { fixture, skipUnlessFixture, tempDir } from "../../../test/fixtures.js";
import { engineInfo } from "../../engine/index.js";
import { fromGguf, scoreText } from "../../models/index.js";
import { loadTokenizer } from "../../tokenizers/index.js";

const BIN = fileURLToPath(new URL("../../../../bin/calign.js", import.meta.url));
const GGUF = ["stories260k", "tinyllamas-stories-260k-f32.gguf"] as const;
const skip = skipUnlessFixture(...GGUF);

function calign(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { input, encoding: "utf8" });
}

test("calign generate: one prompt streamed; a JSONL file batched, same text as one by one", { skip }, (t) => {
  const model = fixture(...GGUF);
  const one = calign(["generate", "--model", model, "--max-tokens", "30", "Tom had a red kite"]);
  assert.equal(one.status, 0, one.stderr);
  assert.ok(one.stdout.startsWith(". He liked to play with his toys"), one.stdout);

  const { dir, remove } = tempDir();
  t.after(remove);
  const input = join(dir, "prompts.jsonl");
  const out = join(dir, "out.jsonl");
  const prompts = ["Tom had a red kite", "Lily", "Once upon a time, there was"];
  writeFileSync(input, prompts.map((p, i) => `${JSON.stringify({ id: `p${i}`, prompt: p })}\n`).join(""));
  const r = calign([
    "generate",
    "--model",
    model,
    "--input",
    input,
    "-o",
    out,
    "--max-tokens",
    "30",
    "--stop",
    ".",
  ]);
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(out, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.id),
    ["p0", "p1", "p2"],
  );
  for (const [i, l] of lines.entries()) {
    const alone = calign(["generate", "--model", model, "--max-tokens", "30", "--stop", ".", prompts[i]!]);
    assert.equal(`${l.text}\n`, alone.stdout, `batched equals alone for ${prompts[i]}`);
    assert.ok(!l.text.includes("."));
    assert.equal(l.finish_reason, "stop");
    assert.ok(l.token_count > 0);
  }
});

test("calign score: per-token log-probs as the library computes them; tokens shows the boundary", {
  skip,
}, () => {
  const path = fixture(...GGUF);
  const pairs = [
    { id: 1, prompt: "Tom had a red", completion: " kite. He liked it." },
    { id: "x", prompt: "Lily", completion: " was sad" },
  ];
  const r = calign(
    ["score", "--model", path, "--input", "-"],
    pairs.map((p) => JSON.stringify(p)).join("\n"),
  );
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const model = fromGguf(path);
  try {
    const want = scoreText(model, loadTokenizer(path), pairs);
    for (const [i, l] of lines.entries()) {
      assert.equal(l.id, pairs[i]!.id);
      assert.deepEqual(l.token_logprobs, want[i]!.tokenLogprobs);
      assert.equal(l.logprob, want[i]!.sum);
      assert.equal(l.token_count, want[i]!.completionIds.length);
    }
  } finally {
    model.dispose();
  }
  const tok = calign(["tokens", "--model", path, "--json", "Tom had", " a red kite"]);
  assert.equal(tok.status, 0, tok.stderr);
  const rows = tok.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    rows.slice(0, 4).map((x) => x.token),
    ["<s>", "▁T", "om", "▁had"],
  );
  assert.ok(
    rows.slice(0, 4).every((x) => x.part === "prompt") && rows.slice(4).every((x) => x.part === "completion"),
  );
});

test("calign generate/score: bad input names file, line and field, exits 1, writes nothing", {
  skip,
}, (t) => {
  const model = fixture(...GGUF);
  const { dir, remove } = tempDir();
  t.after(remove);
  const out = join(dir, "out.jsonl");
  const input = join(dir, "in.jsonl");
  writeFileSync(input, '{"id":1,"prompt":"Lily"}\n{"id":2,"messages":"hi"}\n');
  const g = calign(["generate", "--model", model, "--input", input, "-o", out]);
  assert.equal(g.status, 1);
  assert.match(g.stderr, /in\.jsonl:2: messages: /);
  assert.equal(existsSync(out), false);
  writeFileSync(input, '{"id":1,"prompt":"Lily","completion":" ran"}\n{"id":2,"prompt":"Tom"}\n');
  const s = calign(["score", "--model", model, "--input", input, "-o", out]);
  assert.equal(s.status, 1);
  assert.match(s.stderr, /in\.jsonl:2: completion: missing/);
  assert.equal(existsSync(out), false);
  const flag = calign(["generate", "--model", model, "--top-p", "2", "x"]);
  assert.equal(flag.status, 1);
  assert.match(flag.stderr, /--top-p: must be <= 1, got 2\nUsage: calign generate/);
  const device = calign(["generate", "--model", model, "--device", "gpu", "x"]);
  assert.equal(device.status, 1);
  assert.match(device.stderr, /--device 'gpu' is not one of auto \| cpu \| cuda \| cuda:N/);
  if (!engineInfo().cudaAvailable) {
    const cuda = calign(["generate", "--model", model, "--device", "cuda", "x"]);
    assert.equal(cuda.status, 1);
    assert.match(cuda.stderr, /--device 'cuda': this calign's libtorch \(.*\) has no CUDA/);
  }
  assert.equal(existsSync(out), false);
});

test("calign generate/score/tokens --help: every option with its default", () => {
  for (const cmd of ["generate", "score", "tokens"]) {
    const r = calign([cmd, "--help"]);
    assert.equal(r.status, 0);
    const options = [...r.stdout.matchAll(/^ {2}(--?[a-z-]+)/gm)].map((m) => m[1]);
    assert.ok(options.length >= 3, cmd);
  }
  const g = calign(["generate", "--help"]).stdout;
  for (const flag of [
    "--max-tokens",
    "--temperature",
    "--top-k",
    "--top-p",
    "--repetition-penalty",
    "--seed",
    "--stop",
    "--batch-size",
    "--chat",
    "--dtype",
    "--device",
  ])
    assert.match(g, new RegExp(`${flag}[^\\n]*(\\n {20,}[^\\n]*)*\\(default`), flag);
});

// `calign generate` and `calign score` across 2 ranks (calign launch, Gloo) write what one process writes,
// byte for byte: the ranks share the batches (an odd number of items and of batches, so rank 0 has one
// more), rank 0 gathers the lines in input order and writes them. --truncation works as in one process.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { tempDir } from "../../../test/fixtures.js";
import { NO_GLOO } from "../../../test/helpers/no-gloo.js";
import { tinyModelDir } from "../../../test/helpers/tiny-model.js";
import { freePort } from "../../distributed/free-port.js";

const BIN = fileURLToPath(new URL("../../../../bin/calign.js", import.meta.url));
// One BLAS thread, as calign launch gives each of 2 ranks on 2 cores: float results (and so sampled
// tokens) can depend on how BLAS splits its work.
const env = { ...process.env, OMP_NUM_THREADS: "1" };

let model: string;
let tmp: ReturnType<typeof tempDir>;

before(() => {
  const tiny = tinyModelDir(12);
  tiny.model.dispose();
  model = tiny.dir;
  tmp = tempDir();
});
after(() => {
  rmSync(model, { recursive: true, force: true });
  tmp.remove();
});

const calign = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env });

/** The command on 2 ranks of `calign launch`, on a fresh port. */
async function launched(args: string[]) {
  const port = String(await freePort());
  return calign(["launch", "--nproc-per-node", "2", "--master-port", port, "--", ...args]);
}

function jsonl(name: string, rows: unknown[]): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return path;
}

const f = (name: string) => join(tmp.dir, name);

// Prompts of different lengths (so a batch pads), one longer than the model's 256 positions.
const PROMPTS = [
  "Hi",
  "Once upon a time",
  "a",
  "The cat sat on the mat and",
  `${"long ".repeat(60)}end`,
  "Q:",
  "xyz",
];

test("calign generate on 2 ranks writes the single process's file; one PROMPT is printed once", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const input = jsonl(
    "prompts.jsonl",
    PROMPTS.map((prompt, i) => ({ id: `p${i}`, prompt })),
  );
  // 7 prompts in batches of 3: batches 0 and 2 on rank 0, batch 1 on rank 1; sampled, so the seed counts.
  const generate = (out: string, ...extra: string[]) => [
    ...["generate", "--model", model, "--input", input, "--output", f(out), "--batch-size", "3"],
    ...["--max-tokens", "6", "--temperature", "1.5", "--seed", "4", "--truncation", "keep_end", ...extra],
  ];
  const one = calign(generate("gen-one.jsonl"));
  assert.equal(one.status, 0, one.stderr);
  const two = await launched(generate("gen-two.jsonl"));
  assert.equal(two.status, 0, two.stderr);
  assert.equal(two.stdout, one.stdout);
  const lines = readFileSync(f("gen-one.jsonl"), "utf8").trim().split("\n");
  assert.deepEqual(
    lines.map((l) => JSON.parse(l).id),
    PROMPTS.map((_, i) => `p${i}`),
  );
  assert.ok(readFileSync(f("gen-two.jsonl")).equals(readFileSync(f("gen-one.jsonl"))), "outputs differ");

  const prompt = ["generate", "--model", model, "--max-tokens", "6", "--temperature", "1.5", "Once upon"];
  const alone = calign(prompt);
  assert.equal(alone.status, 0, alone.stderr);
  const shared = await launched(prompt);
  assert.equal(shared.status, 0, shared.stderr);
  assert.equal(shared.stdout, alone.stdout, "rank 0 alone prints the prompt's text");
});

test("calign score on 2 ranks prints the single process's scores; a prompt too long is refused as alone", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const pairs = PROMPTS.map((prompt, i) => ({ id: i, prompt, completion: ` reply ${"x".repeat(i)}` }));
  const input = jsonl("pairs.jsonl", pairs);
  // 7 pairs in 4 length-sorted batches of 2: the last has one pair.
  const score = ["score", "--model", model, "--input", input, "--batch-size", "2"];
  const one = calign([...score, "--truncation", "keep_start"]);
  assert.equal(one.status, 0, one.stderr);
  const two = await launched([...score, "--truncation", "keep_start"]);
  assert.equal(two.status, 0, two.stderr);
  assert.equal(two.stdout, one.stdout);
  assert.deepEqual(
    one.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).id),
    pairs.map((p) => p.id),
  );

  const refused = await launched([...score, "--output", f("never.jsonl")]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /pairs\.jsonl:5: prompt: 304 tokens \+ the completion \(\d+ tokens\) exceed/);
  assert.equal(existsSync(f("never.jsonl")), false);
});

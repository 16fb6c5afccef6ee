// `calign run` with `http.server`: every stage that opens a model (sample and reward on the stage-1
// model, evaluate on each system's) starts that command template with the model, uses the server over
// HTTP and stops it; the results are what calign's own engine gives for the same models.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;
const q = JSON.stringify;

function calign(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  assert.equal(r.status, 0, `calign ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

test("issue 12 item 5: calign run launches calign serve from http.server for sample, reward and each evaluated system", (t) => {
  const { dir, config } = pipelineFixture(35);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "run");
  const log = join(dir, "launched.log");
  // The template records each model it is started with, then becomes the server.
  const server = `echo {model} >> ${q(log)} && exec ${q(process.execPath)} ${q(CLI)} serve --model {model} --host {host} --port {port}`;
  calign("run", config, "--out", out, "--http.server", server);

  const model = (stage: string) => join(out, stage, "model");
  assert.deepEqual(readFileSync(log, "utf8").trim().split("\n"), [
    model("sft_ia"),
    model("sft_ia"),
    dir,
    model("sft"),
    model("sft_ia"),
    model("cat"),
  ]);
  // Calign's own engine on the same models and inputs gives the same samples and responses.
  const f = (name: string) => join(dir, name);
  const sample = ["--input", join(out, "augmented.jsonl"), "--k", "3", "--max_tokens", "8"];
  calign("sample", ...sample, "--temperature", "1.5", "--output", f("s.jsonl"), "--model", model("sft_ia"));
  assert.deepEqual(lines(join(out, "samples.jsonl")), lines(f("s.jsonl")));
  const systems = `base=${dir},sft=${model("sft")},sft_ia=${model("sft_ia")},cat=${model("cat")}`;
  const evaluate = ["--input", f("eval.jsonl"), "--max_tokens", "8", "--bootstrap", "50"];
  calign("evaluate", ...evaluate, "--output", f("eval"), "--systems", systems);
  for (const s of ["base", "sft", "sft_ia", "cat"])
    assert.deepEqual(
      lines(join(out, "eval", `${s}.responses.jsonl`)),
      lines(f(`eval/${s}.responses.jsonl`)),
      s,
    );
});

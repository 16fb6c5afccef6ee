// `calign run` with `http.server`: every stage that opens a model (sample and reward on the stage-1
// model, evaluate on each system's) starts that command template with the model, uses the server over
// HTTP and stops it; the results are what calign's own engine gives for the same models.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { calign, calignAsync, jsonLines as lines } from "../../test/helpers/calign-cli.js";
import { fakeServer } from "../../test/helpers/fake-server.js";
import { pipelineFixture } from "../../test/helpers/pipeline-fixture.js";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;
const q = JSON.stringify;

test("issue 12 item 5: calign run launches calign serve from http.server for sample, reward and each evaluated system", (t) => {
  const { dir, config } = pipelineFixture(35);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, "run");
  const log = join(dir, "launched.log");
  // The template records each model it is started with, then becomes the server.
  const server = `echo {model} >> ${q(log)} && exec ${q(process.execPath)} ${q(CLI)} serve --model {model} --host {host} --port {port}`;
  calign("run", config, "--output", out, "--http.server", server);

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
  const sample = ["--input", join(out, "augmented.jsonl"), "--k", "3", "--max-tokens", "8"];
  calign("sample", ...sample, "--temperature", "1.5", "--output", f("s.jsonl"), "--model", model("sft_ia"));
  assert.deepEqual(lines(join(out, "samples.jsonl")), lines(f("s.jsonl")));
  const systems = `base=${dir},sft=${model("sft")},sft_ia=${model("sft_ia")},cat=${model("cat")}`;
  const evaluate = ["--input", f("eval.jsonl"), "--max-tokens", "8", "--bootstrap", "50"];
  calign("evaluate", ...evaluate, "--output", f("eval"), "--systems", systems);
  for (const s of ["base", "sft", "sft_ia", "cat"])
    assert.deepEqual(
      lines(join(out, "eval", `${s}.responses.jsonl`)),
      lines(f(`eval/${s}.responses.jsonl`)),
      s,
    );
});

/** A `calign run` whose augment stage paraphrases with the model at url. */
function runWithParaphraser(
  config: string,
  out: string,
  url: string,
  flags: string[],
  started?: (pid: number) => void,
) {
  const augment = ["--augment.source", "model", "--augment.paraphraser", url];
  return calignAsync(["run", config, "--output", out, ...augment, ...flags], started);
}

test("issue 16 item 6: calign run's http section reaches the client: a paraphraser that stays down fails augment cleanly within the budget", async (t) => {
  const { dir, config } = pipelineFixture(36);
  const down = await fakeServer((r) =>
    r.path === "/v1/models" ? { body: { data: [{ id: "p" }] } } : { status: 502 },
  );
  t.after(async () => {
    await down.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const out = join(dir, "run");
  const flags = ["--http.retries", "1", "--http.concurrency", "1"];
  const r = await runWithParaphraser(config, out, `${down.baseURL}#p`, flags);
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /^calign run: POST .*: 502 .*gave up after 2 attempts .*the retry budget is 1 retries within 300 s/m,
  );
  assert.doesNotMatch(r.stderr, /^\s+at /m);
  // The model named after "#" is the one asked for; the server's list was not needed.
  assert.ok(down.requests.every((q) => q.path !== "/v1/models" && q.body?.model === "p"));
  assert.equal(existsSync(join(out, "augmented.jsonl")), false);
});

test("issue 16 item 6: Ctrl-C during calign run's call to a server stops the run, to be continued by a rerun", async (t) => {
  const { dir, config } = pipelineFixture(37);
  // Lists its model, then answers nothing: the paraphraser's first call (its tokenizer probe) hangs.
  const hanging = await fakeServer((r) =>
    r.path === "/v1/models" ? { body: { data: [{ id: "p" }] } } : "hang",
  );
  t.after(async () => {
    await hanging.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let pid = 0;
  const run = runWithParaphraser(config, join(dir, "run"), hanging.baseURL, [], (p) => {
    pid = p;
  });
  while (!hanging.requests.some((q) => q.path !== "/v1/models")) await new Promise((r) => setTimeout(r, 20));
  process.kill(pid, "SIGINT");
  const r = await run;
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /calign run: stopped during augment; rerun the same command to continue/);
});

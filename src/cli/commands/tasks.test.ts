import assert from "node:assert/strict";
import { test } from "node:test";
import { captureOutput } from "../../../test/cli/capture-output.js";
import { listFamilies } from "../../tasks/registry.js";
import { UsageError } from "../command.js";
import { tasks } from "./tasks.js";

async function runTasks(args: string[]) {
  const io = captureOutput();
  const status = await tasks.run(args, io);
  return { status, stdout: io.out.join("") };
}

test("calign tasks list: every family with description, pool counts and an example", async () => {
  const r = await runTasks(["list"]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, new RegExp(`^${listFamilies().length} task families`));
  for (const f of listFamilies()) {
    assert.ok(r.stdout.includes(`${f.name}\n  ${f.description}`), f.name);
  }
  assert.match(r.stdout, /wordings: 3 seed, 10 augment, 20 held-out/);
  assert.match(r.stdout, /example: .+ -> .+/);
});

test("calign tasks list --json", async () => {
  const out = JSON.parse((await runTasks(["list", "--json"])).stdout);
  assert.equal(out.length, listFamilies().length);
  assert.deepEqual(Object.keys(out[0]), ["name", "description", "wordings", "example"]);
  assert.deepEqual(out[0].example, listFamilies()[0]!.generate(0, 0));
});

test("calign tasks show: all wordings and instances with their split", async () => {
  const r = await runTasks(["show", "sentiment", "--count", "3", "--seed", "2"]);
  assert.equal(r.status, 0);
  const f = listFamilies().find((x) => x.name === "sentiment")!;
  for (const w of [...f.seedWordings, ...f.heldOutWordings, ...f.augmentWordings])
    assert.ok(r.stdout.includes(JSON.stringify(w)), w);
  assert.equal(r.stdout.match(/\[seed 2, index \d, (train|eval)\]/g)?.length, 3);
  const json = JSON.parse((await runTasks(["show", "sentiment", "--json", "--count", "2"])).stdout);
  assert.equal(json.instances.length, 2);
  assert.deepEqual(json.heldOutWordings, f.heldOutWordings);
  // sentiment works its answers out: each instance shows its worked target, which ends in the answer.
  for (const i of json.instances) assert.equal(i.worked, `"${i.input}" is ${i.answer}.\nAnswer: ${i.answer}`);
  assert.equal(r.stdout.match(/^ {6}worked: "\\".* is (positive|negative)\.\\nAnswer: /gm)?.length, 3);
  const plain = JSON.parse((await runTasks(["show", "reverse-word", "--json", "--count", "1"])).stdout);
  assert.equal("worked" in plain.instances[0], false, "a family without worked answers shows none");
});

test("calign tasks: bad arguments are usage errors", async () => {
  for (const args of [[], ["nope"], ["show"], ["show", "nope"], ["list", "x"]])
    await assert.rejects(runTasks(args), UsageError, args.join(" "));
  await assert.rejects(
    runTasks(["show", "arithmetic", "--count", "0"]),
    /^ConfigError: --count: must be >= 1/,
  );
  assert.match(tasks.help, /calign tasks show NAME/);
});

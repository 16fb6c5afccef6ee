import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DataError } from "./errors.js";
import { readOpenAiDpo, readOpenAiSft, writeOpenAiDpo, writeOpenAiSft } from "./openai.js";
import { readRobustAlpacaEval, writeRobustAlpacaEval } from "./robust-alpaca-eval.js";
import { memorySource } from "./source.js";
import { openSuperNiTask, writeSuperNiTask } from "./superni.js";
import {
  type PreferencePair,
  readTrlPreference,
  readTrlSft,
  type SftExample,
  writeTrlPreference,
  writeTrlSft,
} from "./trl.js";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function tempFile(t: { after(fn: () => void): void }, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "calign-formats-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, name);
}

async function assertDataError(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DataError, String(err));
    if (typeof message === "string") assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

test("TRL SFT and preference JSONL: all shapes round-trip; a record of no known shape is rejected", async (t) => {
  const sft: SftExample[] = [
    { text: "### Q: hi ### A: hello" },
    {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    },
    { prompt: "hi", completion: "hello" },
    { prompt: [{ role: "user", content: "hi" }], completion: [{ role: "assistant", content: "hello" }] },
  ];
  const path = tempFile(t, "sft.jsonl");
  await writeTrlSft(path, sft);
  assert.deepEqual(await collect(readTrlSft(path)), sft);
  const pairs: PreferencePair[] = [
    { prompt: "q", chosen: "good", rejected: "bad" },
    {
      chosen: [
        { role: "user", content: "q" },
        { role: "assistant", content: "good" },
      ],
      rejected: [
        { role: "user", content: "q" },
        { role: "assistant", content: "bad" },
      ],
    },
  ];
  const prefPath = tempFile(t, "pref.jsonl");
  await writeTrlPreference(prefPath, pairs);
  assert.deepEqual(await collect(readTrlPreference(prefPath)), pairs);
  await assertDataError(
    collect(readTrlSft(memorySource("s.jsonl", '{"text":"a","prompt":"b","completion":"c"}'))),
    's.jsonl:1: (record): expected exactly one of "text", "messages", or "prompt" with "completion"',
  );
  await assertDataError(
    collect(readTrlSft(memorySource("s.jsonl", '{"prompt":"b"}'))),
    "s.jsonl:1: completion: missing",
  );
  await assertDataError(
    collect(readTrlPreference(memorySource("p.jsonl", '{"prompt":"q","chosen":5,"rejected":"x"}'))),
    "p.jsonl:1: chosen: expected a string or a list of messages",
  );
  await assertDataError(
    collect(
      readTrlSft(memorySource("s.jsonl", '{"messages":[{"role":"user","content":[{"type":"text"}]}]}')),
    ),
    "s.jsonl:1: messages[0].content: expected a string (multi-part content is not supported)",
  );
});

test("OpenAI SFT and DPO JSONL: written from pairs, read back, validated", async (t) => {
  const path = tempFile(t, "dpo.jsonl");
  await writeOpenAiDpo(path, [{ prompt: "q", chosen: "good", rejected: "bad" }]);
  assert.equal(
    readFileSync(path, "utf8"),
    '{"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"good"}],"non_preferred_output":[{"role":"assistant","content":"bad"}]}\n',
  );
  assert.deepEqual(await collect(readOpenAiDpo(path)), [
    {
      prompt: [{ role: "user", content: "q" }],
      chosen: [{ role: "assistant", content: "good" }],
      rejected: [{ role: "assistant", content: "bad" }],
    },
  ]);
  const sftPath = tempFile(t, "sft.jsonl");
  const example = {
    messages: [
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ],
  };
  await writeOpenAiSft(sftPath, [example]);
  assert.deepEqual(await collect(readOpenAiSft(sftPath)), [example]);
  await assertDataError(
    collect(readOpenAiSft(memorySource("o.jsonl", '{"messages":[{"role":"user","content":"hi"}]}'))),
    'o.jsonl:1: messages: needs at least one message with role "assistant"',
  );
  await assertDataError(
    collect(
      readOpenAiDpo(memorySource("o.jsonl", '{"input":{},"preferred_output":[],"non_preferred_output":[]}')),
    ),
    "o.jsonl:1: input.messages: missing",
  );
  await assert.rejects(writeOpenAiDpo(tempFile(t, "x.jsonl"), [{ chosen: "a", rejected: "b" }]), TypeError);
});

test("RobustAlpacaEval JSONL: the instruction is the original variant, paraphrases the rest; round-trips", async (t) => {
  const line =
    '{"instruction": "Write a haiku.", "paraphrases": ["Compose a haiku.", "Pen a haiku."], "index": 7}\n';
  const [group] = await collect(readRobustAlpacaEval(memorySource("rae.jsonl", line)));
  assert.deepEqual(group, {
    id: "7",
    instruction: "Write a haiku.",
    input: "",
    variants: [
      { text: "Write a haiku.", origin: "original" },
      { text: "Compose a haiku.", origin: "dataset" },
      { text: "Pen a haiku.", origin: "dataset" },
    ],
    references: [],
  });
  const path = tempFile(t, "rae.jsonl");
  await writeRobustAlpacaEval(path, [group!]);
  assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), JSON.parse(line));
  await assertDataError(
    collect(readRobustAlpacaEval(memorySource("rae.jsonl", line + line))),
    'rae.jsonl:2: index: duplicate id "7" (first on line 1)',
  );
  await assertDataError(
    collect(
      readRobustAlpacaEval(memorySource("rae.jsonl", '{"instruction":"x","paraphrases":[""],"index":1}')),
    ),
    "rae.jsonl:1: paraphrases[0]: must not be empty",
  );
});

const TASK = `{
  "Contributors": ["A. Person"],
  "Definition": ["Answer the question with yes or no."],
  "Positive Examples": [{"input": "Is water wet?", "output": "yes", "explanation": "It is."}],
  "Negative Examples": [],
  "Instances": [
    {"id": "task999-1", "input": "Is fire cold?", "output": ["no", "No"]},
    {"id": "task999-2", "input": "Is \\"ice\\" cold? [yes]", "output": ["yes"]}
  ],
  "Instance License": ["MIT"]
}
`;

test("SuperNI task JSON: streamed instance by instance at any chunk size", async () => {
  for (const size of [1, 5, 64, 1 << 16]) {
    const reader = await openSuperNiTask(memorySource("task999_yes_no.json", TASK, size));
    assert.equal(reader.task.name, "task999_yes_no");
    assert.equal(reader.task.definition, "Answer the question with yes or no.");
    assert.deepEqual(reader.task.positiveExamples, [
      { input: "Is water wet?", output: "yes", explanation: "It is." },
    ]);
    const groups = await collect(reader.groups);
    assert.deepEqual(groups[1], {
      id: "task999-2",
      task: "task999_yes_no",
      instruction: "Answer the question with yes or no.",
      input: 'Is "ice" cold? [yes]',
      variants: [{ text: "Answer the question with yes or no.", origin: "original" }],
      references: ["yes"],
    });
    assert.deepEqual(reader.task.metadata, { Contributors: ["A. Person"], "Instance License": ["MIT"] });
  }
});

test("SuperNI task JSON: write then read round-trips", async (t) => {
  const reader = await openSuperNiTask(memorySource("task999.json", TASK));
  const groups = await collect(reader.groups);
  const path = tempFile(t, "task999.json");
  await writeSuperNiTask(path, reader.task, groups);
  assert.deepEqual(JSON.parse(readFileSync(path, "utf8")).Instances[0], {
    id: "task999-1",
    input: "Is fire cold?",
    output: ["no", "No"],
  });
  const again = await openSuperNiTask(path);
  assert.deepEqual(again.task, reader.task);
  assert.deepEqual(await collect(again.groups), groups);
});

test("SuperNI task JSON: bad files name line and field", async () => {
  const read = async (text: string) => collect((await openSuperNiTask(memorySource("t.json", text))).groups);
  await assertDataError(read('{"Instances": []}'), 't.json:1: Definition: missing before "Instances"');
  await assertDataError(
    read('{"Definition": "x", "Instances": []}'),
    "t.json:1: Definition: expected an array, got a string",
  );
  await assertDataError(read('{"Definition": ["x"]}'), "t.json:1: Instances: missing");
  await assertDataError(
    read('{"Definition": ["x"],\n"Instances": [\n{"id": "1", "input": "a", "output": []}]}'),
    "t.json:3: Instances[0].output: must not be empty",
  );
  await assertDataError(
    read(
      '{"Definition": ["x"],\n"Instances": [\n{"id": "1", "input": "a", "output": ["b"]},\n{"id": "1", "input": "a", "output": ["b"]}]}',
    ),
    't.json:4: Instances[1].id: duplicate id "1" (first on line 3)',
  );
  await assertDataError(
    read('{"Definition": ["x"], "Instances": [{"id": "1", "input": "a", "output": ["b"]} {'),
    /^t\.json:1: Instances: malformed JSON: expected "," or "\]", found "\{"$/,
  );
  await assertDataError(
    read('{"Definition": ["x"], "Instances": [{"id": "1", '),
    /^t\.json:1: Instances\[0\]: malformed JSON: unexpected end of the file$/,
  );
  await assertDataError(
    read('{"Definition": ["x"], "Instances": []} trailing'),
    "t.json:1: (file): unexpected data after the task object",
  );
});

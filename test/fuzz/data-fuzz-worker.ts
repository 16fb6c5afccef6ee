// Worker for src/data/fuzz.test.ts: feeds thousands of mutated records and task files to every reader and
// reports each outcome. A reader may accept a mutated input or reject it with a DataError naming file,
// line and field; anything else (another exception, a hang, a slow case) is a failure. Runs in a worker
// so the test can stop it if a reader ever loops.
import { parentPort, workerData } from "node:worker_threads";
import { readGroups } from "../../src/data/calign-jsonl.js";
import { DataError } from "../../src/data/errors.js";
import { groupToJson, type ParaphraseGroup, parseGroup } from "../../src/data/group.js";
import { readOpenAiDpo, readOpenAiSft } from "../../src/data/openai.js";
import { readRobustAlpacaEval } from "../../src/data/robust-alpaca-eval.js";
import { memorySource } from "../../src/data/source.js";
import { openSuperNiTask } from "../../src/data/superni.js";
import { readTrlPreference, readTrlSft } from "../../src/data/trl.js";
import { createRng, type Rng } from "../../src/util/random.js";

export interface FuzzReport {
  cases: number;
  accepted: number;
  rejected: Record<string, number>;
  failures: string[];
  slowestMs: number;
}

const MAX = 1 << 14; // a small line cap, so long-value mutations reach it

type Reader = (name: string, data: Buffer) => Promise<unknown[]>;

async function collect(items: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const READERS: Record<string, Reader> = {
  calign: (n, d) => collect(readGroups(memorySource(n, d, 97), { maxLineBytes: MAX })),
  rae: (n, d) => collect(readRobustAlpacaEval(memorySource(n, d), { maxLineBytes: MAX })),
  trlSft: (n, d) => collect(readTrlSft(memorySource(n, d), { maxLineBytes: MAX })),
  trlPref: (n, d) => collect(readTrlPreference(memorySource(n, d), { maxLineBytes: MAX })),
  openaiSft: (n, d) => collect(readOpenAiSft(memorySource(n, d), { maxLineBytes: MAX })),
  openaiDpo: (n, d) => collect(readOpenAiDpo(memorySource(n, d), { maxLineBytes: MAX })),
  superni: async (n, d) =>
    collect((await openSuperNiTask(memorySource(n, d, 61), { maxValueBytes: MAX })).groups),
};

const msgs = (k: number) =>
  Array.from({ length: k }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `turn ${i}` }));

const SEEDS: Record<string, unknown[]> = {
  calign: [
    {
      id: "a1",
      task: "t",
      instruction: "Name a colour.",
      input: "",
      variants: [
        {
          text: "Name a colour.",
          origin: "original",
          response: "Red",
          logprobs: [-1, -2],
          response_tokens: 1,
        },
        {
          text: "Say a colour.",
          origin: "model",
          response: "Blue.",
          logprobs: [-3, -0.1],
          response_tokens: 2,
        },
      ],
      references: ["red", "blue"],
      meta: { k: [1, { x: null }] },
    },
    { id: "b2", instruction: "Add 2+2.", variants: [{ text: "Add 2+2.", origin: "original" }] },
  ],
  rae: [{ instruction: "Write a poem.", paraphrases: ["Compose a poem.", "Pen a poem."], index: 3 }],
  trlSft: [
    { text: "hello" },
    { messages: msgs(2) },
    { prompt: "q", completion: "a" },
    { prompt: msgs(1), completion: msgs(2).slice(1) },
  ],
  trlPref: [
    { prompt: "q", chosen: "a", rejected: "b" },
    { chosen: msgs(2), rejected: msgs(2) },
  ],
  openaiSft: [{ messages: msgs(3) }],
  openaiDpo: [
    {
      input: { messages: msgs(1) },
      preferred_output: msgs(2).slice(1),
      non_preferred_output: msgs(2).slice(1),
    },
  ],
};

const SUPERNI_SEED = {
  Contributors: ["x"],
  Definition: ["Answer yes or no."],
  "Positive Examples": [{ input: "a", output: "yes", explanation: "e" }],
  "Negative Examples": [],
  Instances: [
    { id: "t-1", input: "q1", output: ["yes"] },
    { id: "t-2", input: "q2", output: ["no", "No"] },
  ],
  "Instance License": ["MIT"],
};

const JUNK = [
  "{",
  "}",
  "[",
  "]",
  '"',
  "\\",
  ",",
  ":",
  "null",
  "true",
  "1e999",
  "-",
  "\n",
  "\r\n",
  "\u0000",
  "\\ud800",
  "\\u00",
  "é",
  "中",
  "\uFEFF",
  "  ",
  "0",
  "[]",
  "{}",
  '""',
  "NaN",
];
const BAD_BYTES = [
  [0xff],
  [0xfe],
  [0xc0, 0x80],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

const OTHER_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  true,
  "",
  "x".repeat(5),
  "x".repeat(MAX + 10),
  [],
  [null],
  {},
  { a: 1 },
  JSON.parse("[".repeat(1000) + "]".repeat(1000)),
  JSON.parse(`${'{"a":'.repeat(200)}1${"}".repeat(200)}`),
];

function otherValue(rng: Rng): unknown {
  return pick(rng, OTHER_VALUES);
}

/** A JSON-level mutation: a key removed, a value replaced by one of another type, an array emptied. */
function mutateValue(rng: Rng, value: unknown): unknown {
  if (typeof value !== "object" || value === null) return otherValue(rng);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0) return otherValue(rng);
  const key = pick(rng, keys);
  const r = rng.next();
  const target = copy as Record<string, unknown>;
  if (r < 0.2 && !Array.isArray(copy)) delete target[key];
  else if (r < 0.5) target[key] = otherValue(rng);
  else if (r < 0.6 && Array.isArray(target[key])) target[key] = [];
  else target[key] = mutateValue(rng, target[key]);
  return copy;
}

/** A byte-level mutation of serialized text. */
function mutateBytes(rng: Rng, data: Buffer): Buffer {
  const at = rng.int(data.length + 1);
  const r = rng.next();
  if (r < 0.25) {
    const copy = Buffer.from(data);
    for (let k = 1 + rng.int(3); k > 0 && copy.length > 0; k--) copy[rng.int(copy.length)] = rng.int(256);
    return copy;
  }
  if (r < 0.45)
    return Buffer.concat([data.subarray(0, at), data.subarray(Math.min(data.length, at + 1 + rng.int(20)))]);
  if (r < 0.7) return Buffer.concat([data.subarray(0, at), Buffer.from(pick(rng, JUNK)), data.subarray(at)]);
  if (r < 0.85)
    return Buffer.concat([data.subarray(0, at), Buffer.from(pick(rng, BAD_BYTES)), data.subarray(at)]);
  if (r < 0.95) return data.subarray(0, at);
  return Buffer.concat([data.subarray(0, at), Buffer.alloc(MAX + rng.int(100), 0x61), data.subarray(at)]);
}

function mutant(rng: Rng, format: string): Buffer {
  if (format === "superni") {
    const task = rng.next() < 0.5 ? mutateValue(rng, SUPERNI_SEED) : SUPERNI_SEED;
    const text = JSON.stringify(task, null, rng.next() < 0.5 ? 2 : undefined);
    return rng.next() < 0.7 ? mutateBytes(rng, Buffer.from(text)) : Buffer.from(text);
  }
  const seeds = SEEDS[format]!;
  const lines = Array.from({ length: 1 + rng.int(3) }, () => {
    const seed = pick(rng, seeds);
    return JSON.stringify(rng.next() < 0.6 ? mutateValue(rng, seed) : seed);
  });
  if (rng.next() < 0.1) lines.push(lines[0]!); // a duplicate id
  const text = Buffer.from(`${lines.join("\n")}\n`);
  return rng.next() < 0.6 ? mutateBytes(rng, text) : text;
}

/** What a clear rejection looks like: `file:line: field: reason`, line a positive integer. */
function isClear(err: unknown, name: string): err is DataError {
  return (
    err instanceof DataError &&
    err.file === name &&
    Number.isInteger(err.line) &&
    (err.line ?? 0) >= 1 &&
    err.field.length > 0 &&
    err.reason.length > 0 &&
    err.message === `${name}:${err.line}: ${err.field}: ${err.reason}`
  );
}

async function run(cases: number, seed: number): Promise<FuzzReport> {
  const rng = createRng(seed);
  const report: FuzzReport = { cases, accepted: 0, rejected: {}, failures: [], slowestMs: 0 };
  const formats = Object.keys(READERS);
  for (let i = 0; i < cases; i++) {
    const format = formats[i % formats.length]!;
    const name = `case${i}.${format === "superni" ? "json" : "jsonl"}`;
    const data = mutant(rng, format);
    const started = performance.now();
    try {
      const records = await READERS[format]!(name, data);
      report.accepted++;
      // Whatever is accepted must survive a write and a read back unchanged.
      if (format === "calign") {
        for (const g of records as ParaphraseGroup[]) {
          const again = parseGroup(JSON.parse(JSON.stringify(groupToJson(g))), { file: name, line: 1 });
          if (JSON.stringify(again) !== JSON.stringify(g))
            report.failures.push(`${name}: round trip changed ${JSON.stringify(g)}`);
        }
      }
    } catch (err) {
      if (isClear(err, name)) {
        const kind = err.reason
          .replace(/[:("].*$/s, "")
          .replace(/\d+/g, "N")
          .trim();
        report.rejected[kind] = (report.rejected[kind] ?? 0) + 1;
      } else {
        report.failures.push(
          `${name} ${JSON.stringify(data.toString("latin1").slice(0, 300))}: ${(err as Error)?.stack ?? String(err)}`,
        );
      }
    }
    const ms = performance.now() - started;
    report.slowestMs = Math.max(report.slowestMs, ms);
    if (ms > 2000) report.failures.push(`${name}: took ${ms.toFixed(0)} ms`);
    if (i % 100 === 0) parentPort!.postMessage({ type: "progress", case: i });
  }
  return report;
}

const { cases, seed } = workerData as { cases: number; seed: number };
parentPort!.postMessage({ type: "done", report: await run(cases, seed) });

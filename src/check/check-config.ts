// The `calign check` config file: the system under test, the cases, where variants come from, the
// similarity and the thresholds. Everything is validated here, cases files included, before any model
// is called; every error names the file, the line and the key (ConfigError, or DataError for a cases
// file's record).
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { checkEngineDtype } from "../backends/open-backend.js";
import { ConfigError } from "../config/config-error.js";
import { DEVICE, DTYPE } from "../config/shared-options.js";
import { YamlNode } from "../config/yaml-node.js";
import { ORIGINAL, parseGroup, readJsonl, UniqueIds } from "../data/index.js";
import { checkDevice, DeviceError, type DType } from "../engine/index.js";
import { type AnswerOf, answerPattern } from "../metrics/index.js";
import { readPromptfooCases } from "./promptfoo-cases.js";

/** A model behind the backend seam: an OpenAI-compatible server, a local model, or the mock. */
export type ModelTarget =
  | { kind: "url"; url: string; model: string; apiKeyEnv: string }
  | { kind: "path"; path: string; device: string; dtype: DType }
  | { kind: "mock"; answer: string };

export interface SystemSettings {
  target: ModelTarget;
  chat: boolean;
  maxTokens: number;
  /** Prompts sent per generate call (an HTTP server gets them concurrently, up to `concurrency`). */
  batch: number;
  concurrency: number;
  retries: number;
  timeoutMs: number;
}

export interface Thresholds {
  minCr: number | null;
  minWorstQuality: number | null;
  maxGap: number | null;
}

export interface CheckCase {
  id: string;
  /** Where the case is written (a config, JSONL or promptfoo file and its line), for annotations. */
  file: string;
  line: number;
  /** For the paraphrase pool: the pool's key (default: the case id). */
  task: string;
  instruction: string;
  input: string;
  references: string[];
  /** Given variants besides the instruction (the instruction itself is the "original" variant). */
  variants: { text: string; origin: string }[];
  thresholds: Thresholds;
}

export interface CheckConfig {
  file: string;
  system: SystemSettings;
  cases: CheckCase[];
  variants: {
    source: "given" | "rules" | "pool" | "model";
    /** Paraphrases added per case (sources other than given). */
    n: number;
    seed: number;
    pool: Map<string, string[]> | null;
    paraphraser: ModelTarget | null;
  };
  similarity: {
    method: "exact" | "rougeL" | "threshold" | "judge";
    threshold: number;
    judge: ModelTarget | null;
    judgeChat: boolean;
  };
  quality: "rougeL" | "exact";
  /** `answer_pattern`: the figures measure each response's answer (metrics/answer-pattern.ts). */
  answerOf: AnswerOf;
  overall: Thresholds;
}

const TOP_KEYS = [
  "system",
  "cases",
  "cases_file",
  "promptfoo",
  "variants",
  "similarity",
  "quality",
  "answer_pattern",
  "thresholds",
];
const TARGET_KEYS = ["url", "model", "api_key_env", "path", "mock", "device", "dtype"];
const THRESHOLD_KEYS = ["min_cr", "min_worst_quality", "max_gap"];

/** Reads and validates a check config; relative paths in it are relative to the config file. */
export async function readCheckConfig(file: string): Promise<CheckConfig> {
  const root = YamlNode.read(file);
  if (root.isNull) root.fail("the config is empty (see docs/ci.md for the format)");
  root.onlyKeys(TOP_KEYS);
  const here = (p: string) => (isAbsolute(p) ? p : join(dirname(file), p));
  if (!root.has("system")) root.fail("missing", "system");
  const system = systemSettings(root.get("system"), here);
  const t = root.get("thresholds");
  if (!t.isNull) t.onlyKeys(["case", "overall"]);
  const caseThresholds = thresholds(t.get("case"));
  const overall = thresholds(t.get("overall"));
  const variants = variantSettings(root.get("variants"), here);
  const similarity = similaritySettings(root.get("similarity"), here);
  const quality = root.has("quality") ? root.get("quality").choice(["rougeL", "exact"] as const) : "rougeL";
  const answerOf = answerSetting(root);
  const cases = await readCases(root, here, caseThresholds);
  if (cases.length === 0) root.fail("no cases", "cases");
  for (const c of cases) {
    const given = 1 + c.variants.length;
    if (variants.source === "given" && given < 2)
      throw caseError(
        c,
        "variants",
        'needs at least one variant besides the instruction (variants.source "given")',
      );
    const needsRefs = c.thresholds.minWorstQuality !== null || c.thresholds.maxGap !== null;
    if (needsRefs && c.references.length === 0)
      throw caseError(c, "references", "min_worst_quality and max_gap need references for this case");
    if (variants.pool !== null && !variants.pool.has(c.task))
      throw caseError(c, "task", `the pool has no wordings for ${JSON.stringify(c.task)}`);
  }
  if (
    (overall.minWorstQuality !== null || overall.maxGap !== null) &&
    !cases.some((c) => c.references.length > 0)
  )
    t.get("overall").fail("min_worst_quality and max_gap need references, and no case has any");
  return { file, system, cases, variants, similarity, quality, answerOf, overall };
}

function answerSetting(root: YamlNode): AnswerOf {
  const pattern = root.optString("answer_pattern", null);
  try {
    return answerPattern(pattern);
  } catch (err) {
    if (err instanceof SyntaxError) root.get("answer_pattern").fail(err.message);
    throw err;
  }
}

function caseError(c: CheckCase, key: string, message: string): ConfigError {
  return new ConfigError(`${c.file}:${c.line}`, `case ${c.id}: ${key}`, message);
}

/** A model target; `extra` are the keys the caller reads beside it. */
function target(node: YamlNode, here: (p: string) => string, extra: readonly string[] = []): ModelTarget {
  node.onlyKeys([...TARGET_KEYS, ...extra]);
  const given = ["url", "path", "mock"].filter((k) => node.has(k));
  if (given.length !== 1) node.fail("give exactly one of url (with model), path, mock");
  for (const k of ["device", "dtype"])
    if (node.has(k) && !node.has("path")) node.get(k).fail("goes with path (a model calign's engine runs)");
  if (node.has("url")) {
    const url = node.get("url").string();
    if (!/^https?:\/\//.test(url)) node.get("url").fail(`must start with http:// or https://, got '${url}'`);
    if (!node.has("model")) node.get("model").fail("an OpenAI-compatible url needs the model name");
    return {
      kind: "url",
      url,
      model: node.get("model").string(),
      apiKeyEnv: node.optString("api_key_env", "OPENAI_API_KEY"),
    };
  }
  for (const k of ["model", "api_key_env"])
    if (node.has(k)) node.get(k).fail("goes with url (an OpenAI-compatible server)");
  if (node.has("mock")) return { kind: "mock", answer: node.get("mock").string({ nonEmpty: false }) };
  return { kind: "path", path: here(node.get("path").string()), ...engineSettings(node) };
}

/** Where and in what calign's engine runs a path target; one this build cannot run is refused here. */
function engineSettings(node: YamlNode): { device: string; dtype: DType } {
  const device = node.optString("device", DEVICE.default);
  const dtype = node.has("dtype") ? node.get("dtype").choice(DTYPE.choices) : DTYPE.default;
  const refuse = (key: string, check: () => unknown) => {
    try {
      check();
    } catch (err) {
      if (err instanceof DeviceError) node.get(key).fail(err.message);
      throw err;
    }
  };
  refuse("device", () => checkDevice(device));
  refuse("dtype", () => checkEngineDtype(dtype, device));
  return { device, dtype };
}

function systemSettings(node: YamlNode, here: (p: string) => string): SystemSettings {
  return {
    target: target(node, here, ["chat", "max_tokens", "batch", "concurrency", "retries", "timeout_s"]),
    chat: node.optBoolean("chat", false),
    maxTokens: node.optNumber("max_tokens", 64, { integer: true, min: 1 }),
    batch: node.optNumber("batch", 16, { integer: true, min: 1 }),
    concurrency: node.optNumber("concurrency", 4, { integer: true, min: 1 }),
    retries: node.optNumber("retries", 5, { integer: true, min: 0 }),
    timeoutMs: 1000 * node.optNumber("timeout_s", 120, { min: 0.001 }),
  };
}

function thresholds(node: YamlNode): Thresholds {
  if (node.isNull) return { minCr: null, minWorstQuality: null, maxGap: null };
  node.onlyKeys(THRESHOLD_KEYS);
  const unit = (k: string) => (node.has(k) ? node.get(k).number({ min: 0, max: 1 }) : null);
  return { minCr: unit("min_cr"), minWorstQuality: unit("min_worst_quality"), maxGap: unit("max_gap") };
}

/** Per-case thresholds over the defaults from `thresholds.case`. */
function caseThresholdsOf(node: YamlNode, defaults: Thresholds): Thresholds {
  const own = thresholds(node);
  return {
    minCr: own.minCr ?? defaults.minCr,
    minWorstQuality: own.minWorstQuality ?? defaults.minWorstQuality,
    maxGap: own.maxGap ?? defaults.maxGap,
  };
}

function variantSettings(node: YamlNode, here: (p: string) => string): CheckConfig["variants"] {
  if (!node.isNull) node.onlyKeys(["source", "n", "seed", "pool", "model"]);
  const source = node.has("source")
    ? node.get("source").choice(["given", "rules", "pool", "model"] as const)
    : "given";
  const only = (key: string, wanted: string) => {
    if (node.has(key) && source !== wanted) node.get(key).fail(`goes with source ${wanted}`);
  };
  only("pool", "pool");
  only("model", "model");
  if (source === "given" && node.has("n")) node.get("n").fail("goes with source rules, pool or model");
  let pool: Map<string, string[]> | null = null;
  if (source === "pool") {
    if (!node.has("pool")) node.get("pool").fail('source "pool" needs a pool file (JSON {key: [wordings]})');
    pool = readPool(node.get("pool"), here);
  }
  if (source === "model" && !node.has("model"))
    node.get("model").fail('source "model" needs the paraphrasing model');
  return {
    source,
    n: node.optNumber("n", 4, { integer: true, min: 1 }),
    seed: node.optNumber("seed", 0, { integer: true, min: 0 }),
    pool,
    paraphraser: source === "model" ? target(node.get("model"), here) : null,
  };
}

function readPool(node: YamlNode, here: (p: string) => string): Map<string, string[]> {
  const path = here(node.string());
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    node.fail(`cannot read the pool ${path}: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    node.fail(`${path}: must be a JSON object {key: [wordings]}`);
  const pool = new Map<string, string[]>();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string" && x.trim() !== ""))
      node.fail(`${path}: ${JSON.stringify(k)} must be a list of non-empty strings`);
    pool.set(k, v as string[]);
  }
  return pool;
}

function similaritySettings(node: YamlNode, here: (p: string) => string): CheckConfig["similarity"] {
  if (!node.isNull) node.onlyKeys(["method", "threshold", "judge", "chat"]);
  const method = node.has("method")
    ? node.get("method").choice(["exact", "rougeL", "threshold", "judge"] as const)
    : "rougeL";
  if (node.has("threshold") && method !== "threshold")
    node.get("threshold").fail("goes with method threshold");
  for (const k of ["judge", "chat"])
    if (node.has(k) && method !== "judge") node.get(k).fail("goes with method judge");
  if (method === "judge" && !node.has("judge")) node.get("judge").fail("method judge needs the judge model");
  return {
    method,
    threshold: node.optNumber("threshold", 0.5, { min: 0, max: 1 }),
    judge: method === "judge" ? target(node.get("judge"), here) : null,
    judgeChat: node.optBoolean("chat", false),
  };
}

async function readCases(
  root: YamlNode,
  here: (p: string) => string,
  defaults: Thresholds,
): Promise<CheckCase[]> {
  const sources = ["cases", "cases_file", "promptfoo"].filter((k) => root.has(k));
  if (sources.length !== 1) root.fail("give exactly one of cases, cases_file, promptfoo", "cases");
  if (root.has("cases")) return inlineCases(root.get("cases"), defaults);
  if (root.has("cases_file")) return fileCases(root.get("cases_file"), here, defaults);
  const node = root.get("promptfoo");
  return (await readPromptfooCases(here(node.string()))).map((c) => ({
    ...c,
    task: c.id,
    thresholds: defaults,
  }));
}

function inlineCases(list: YamlNode, defaults: Thresholds): CheckCase[] {
  const ids = new Map<string, number>();
  return list.items().map((node, i) => {
    node.onlyKeys(["id", "instruction", "input", "references", "variants", "task", "thresholds"]);
    const id = node.optString("id", `case-${i + 1}`);
    if (ids.has(id)) node.get("id").fail(`duplicate id ${JSON.stringify(id)} (first on line ${ids.get(id)})`);
    ids.set(id, node.line);
    return {
      id,
      file: node.file,
      line: node.line,
      task: node.optString("task", id),
      instruction: node.get("instruction").string(),
      input: node.optString("input", ""),
      references: node.has("references") ? node.get("references").strings() : [],
      variants: node.has("variants")
        ? node
            .get("variants")
            .strings()
            .map((text) => ({ text, origin: "given" }))
        : [],
      thresholds: caseThresholdsOf(node.get("thresholds"), defaults),
    };
  });
}

/** calign's paraphrase-group JSONL: every variant other than the original is a given variant. */
async function fileCases(
  node: YamlNode,
  here: (p: string) => string,
  defaults: Thresholds,
): Promise<CheckCase[]> {
  const path = here(node.string());
  const ids = new UniqueIds();
  const cases: CheckCase[] = [];
  try {
    for await (const { value, at } of readJsonl(path)) {
      const g = parseGroup(value, at);
      ids.check(g.id, at);
      const others = g.variants.filter((v) => !(v.origin === ORIGINAL && v.text === g.instruction));
      cases.push({
        id: g.id,
        file: path,
        line: at.line ?? 1,
        task: g.task ?? g.id,
        instruction: g.instruction,
        input: g.input,
        references: g.references,
        variants: others.map((v) => ({ text: v.text, origin: v.origin })),
        thresholds: defaults,
      });
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") node.fail(`no such file: ${path}`);
    throw err;
  }
  return cases;
}

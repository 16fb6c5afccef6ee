// The paraphrase group: one item (instruction + input + references) and its instruction variants, each
// with where it came from and, once a model has answered, its response. calign's own JSONL is one group
// a line, in the snake_case JSON written by groupToJson.
import type { Location } from "./errors.js";
import { Fields } from "./fields.js";

/** The origin of the instruction as given; PDR measures the drop from it to the other variants. */
export const ORIGINAL = "original";

export interface Variant {
  text: string;
  /** "original", or where the paraphrase came from: "model", "rule", "human", "dataset", ... */
  origin: string;
  /** The model's response to this variant. */
  response?: string;
  /** log P(response of variant j | this variant) for every variant j, for POSIX. */
  logprobs?: number[];
  /** Number of tokens in this variant's response, for POSIX's length normalisation. */
  responseTokens?: number;
}

export interface ParaphraseGroup {
  id: string;
  task?: string;
  /** The original instruction. */
  instruction: string;
  /** The instance input shared by every variant ("" when none). */
  input: string;
  variants: Variant[];
  /** Reference outputs ([] when none). */
  references: string[];
  /**
   * What stage 1 trains the item to answer when it is not its first reference: a worked answer that
   * states what the reference follows from, then gives it (tasks/worked-answer.ts). Absent: references[0].
   */
  target?: string;
  /** Free-form data carried along unchanged. */
  meta?: Record<string, unknown>;
}

const GROUP_KEYS = [
  "id",
  "task",
  "instruction",
  "input",
  "variants",
  "references",
  "target",
  "meta",
] as const;
const VARIANT_KEYS = ["text", "origin", "response", "logprobs", "response_tokens"] as const;

function parseVariant(f: Fields, count: number): Variant {
  f.onlyKeys(VARIANT_KEYS);
  const variant: Variant = {
    text: f.string("text", { nonEmpty: true }),
    origin: f.string("origin", { nonEmpty: true }),
  };
  if (f.has("response")) variant.response = f.string("response");
  if (f.has("logprobs")) {
    // Log-probabilities are at most 0; one per variant of the group.
    const logprobs = f.numberArray("logprobs", { max: 0 });
    if (logprobs.length !== count)
      f.fail("logprobs", `expected ${count} values (one per variant), got ${logprobs.length}`);
    variant.logprobs = logprobs;
  }
  if (f.has("response_tokens"))
    variant.responseTokens = f.number("response_tokens", { integer: true, min: 1 });
  return variant;
}

/** Validates one calign JSONL record. */
export function parseGroup(value: unknown, at: Location): ParaphraseGroup {
  const f = Fields.of(value, at);
  f.onlyKeys(GROUP_KEYS);
  const id = f.string("id", { nonEmpty: true });
  const instruction = f.string("instruction", { nonEmpty: true });
  const raw = f.array("variants");
  if (raw.length === 0) f.fail("variants", "empty group: at least one variant is needed");
  const variants = f.objects("variants").map((v) => parseVariant(v, raw.length));
  if (variants.filter((v) => v.origin === ORIGINAL).length > 1) {
    f.fail("variants", `more than one variant has origin "${ORIGINAL}"`);
  }
  const group: ParaphraseGroup = {
    id,
    instruction,
    input: f.optionalString("input") ?? "",
    variants,
    references: f.has("references") ? f.stringArray("references") : [],
  };
  const task = f.optionalString("task");
  if (task !== undefined) group.task = task;
  if (f.has("target")) group.target = f.string("target", { nonEmpty: true });
  if (f.has("meta")) group.meta = f.record("meta");
  return group;
}

/** The JSON form of a group, as parseGroup reads it back. */
export function groupToJson(group: ParaphraseGroup): Record<string, unknown> {
  const out: Record<string, unknown> = { id: group.id };
  if (group.task !== undefined) out.task = group.task;
  out.instruction = group.instruction;
  if (group.input !== "") out.input = group.input;
  out.variants = group.variants.map((v) => {
    const json: Record<string, unknown> = { text: v.text, origin: v.origin };
    if (v.response !== undefined) json.response = v.response;
    if (v.logprobs !== undefined) json.logprobs = v.logprobs;
    if (v.responseTokens !== undefined) json.response_tokens = v.responseTokens;
    return json;
  });
  if (group.references.length > 0) out.references = group.references;
  if (group.target !== undefined) out.target = group.target;
  if (group.meta !== undefined) out.meta = group.meta;
  return out;
}

// Super-NaturalInstructions task files (one JSON object: Definition, Positive/Negative Examples,
// metadata, and Instances with id, input and a list of outputs), read instance by instance so a large
// task never sits in memory whole. Each instance becomes a paraphrase group whose original variant is
// the task definition and whose references are the instance outputs.
import { basename } from "node:path";
import { streamTextAtomic } from "../util/atomic-write.js";
import type { Location } from "./errors.js";
import { Fields } from "./fields.js";
import { ORIGINAL, type ParaphraseGroup } from "./group.js";
import { UniqueIds } from "./group-reader.js";
import { JsonScanner } from "./json-scanner.js";
import { MAX_LINE_BYTES } from "./line-reader.js";
import { byteChunks, type Input, toSource } from "./source.js";

export interface SuperNiExample {
  input: string;
  output: string;
  explanation?: string;
}

export interface SuperNiTask {
  /** Task name: the file name without ".json" unless given. */
  name: string;
  /** Definition[0], the instruction SuperNI's own prompts use. */
  definition: string;
  positiveExamples: SuperNiExample[];
  negativeExamples: SuperNiExample[];
  /** Every other top-level field, unvalidated (Contributors, Source, Categories, ...). */
  metadata: Record<string, unknown>;
}

export interface SuperNiReader {
  /** Fields before "Instances"; the few SuperNI puts after it are added to metadata once groups end. */
  task: SuperNiTask;
  groups: AsyncGenerator<ParaphraseGroup>;
}

const INSTANCES = "Instances";

function parseExamples(value: unknown, key: string, at: Location): SuperNiExample[] {
  return Fields.of({ [key]: value }, at)
    .objects(key)
    .map((e) => {
      const example: SuperNiExample = { input: e.string("input"), output: e.string("output") };
      const explanation = e.optionalString("explanation");
      if (explanation !== undefined) example.explanation = explanation;
      return example;
    });
}

function parseInstance(value: unknown, index: number, task: SuperNiTask, at: Location): ParaphraseGroup {
  const f = Fields.of(value, at, `${INSTANCES}[${index}]`);
  return {
    id: f.string("id", { nonEmpty: true }),
    task: task.name,
    instruction: task.definition,
    input: f.string("input"),
    variants: [{ text: task.definition, origin: ORIGINAL }],
    references: f.stringArray("output", { nonEmpty: true }),
  };
}

/**
 * Opens a task file and reads it up to its instances. The definition must come before "Instances", as in
 * every SuperNI file, so that instances can be streamed.
 */
export async function openSuperNiTask(
  input: Input,
  options: { name?: string; maxValueBytes?: number } = {},
): Promise<SuperNiReader> {
  const source = toSource(input);
  const scanner = new JsonScanner(
    byteChunks(source)[Symbol.asyncIterator](),
    source.name,
    options.maxValueBytes ?? MAX_LINE_BYTES,
  );
  const task: SuperNiTask = {
    name: options.name ?? basename(source.name).replace(/\.json$/, ""),
    definition: "",
    positiveExamples: [],
    negativeExamples: [],
    metadata: {},
  };
  const seen = new Set<string>();

  // Reads "key": value pairs until "Instances" (returns true) or the closing brace (false).
  const readFields = async (): Promise<boolean> => {
    for (;;) {
      const { value: key, line } = await scanner.value("(key)");
      if (typeof key !== "string")
        throw scanner.error("(key)", "malformed JSON: expected a field name", line);
      if (seen.has(key)) throw scanner.error(key, "field appears twice", line);
      seen.add(key);
      await scanner.take(":", key);
      if (key === INSTANCES) return true;
      const { value } = await scanner.value(key);
      const at = { file: source.name, line };
      if (key === "Definition") {
        const f = Fields.of({ [key]: value }, at);
        task.definition = f.stringArray(key, { nonEmpty: true })[0]!;
        if (task.definition.length === 0) f.fail(`${key}[0]`, "must not be empty");
      } else if (key === "Positive Examples") task.positiveExamples = parseExamples(value, key, at);
      else if (key === "Negative Examples") task.negativeExamples = parseExamples(value, key, at);
      else task.metadata[key] = value;
      if ((await scanner.take(",}", key)) === "}") return false;
    }
  };

  try {
    await scanner.take("{", "(file)");
    let hasInstances = false;
    if ((await scanner.peek()) === 0x7d) await scanner.take("}", "(file)");
    else hasInstances = await readFields();
    if (!hasInstances) throw scanner.error(INSTANCES, "missing");
    if (!seen.has("Definition")) throw scanner.error("Definition", `missing before "${INSTANCES}"`);
  } catch (err) {
    await scanner.close();
    throw err;
  }

  async function* groups(): AsyncGenerator<ParaphraseGroup> {
    try {
      const ids = new UniqueIds();
      await scanner.take("[", INSTANCES);
      if ((await scanner.peek()) === 0x5d) await scanner.take("]", INSTANCES);
      else {
        for (let i = 0; ; i++) {
          const { value, line } = await scanner.value(`${INSTANCES}[${i}]`);
          const at = { file: source.name, line };
          const group = parseInstance(value, i, task, at);
          ids.check(group.id, at, `${INSTANCES}[${i}].id`);
          yield group;
          if ((await scanner.take(",]", INSTANCES)) === "]") break;
        }
      }
      if ((await scanner.take(",}", "(file)")) === ",") await readFields();
      if ((await scanner.peek()) !== -1)
        throw scanner.error("(file)", "unexpected data after the task object");
    } finally {
      await scanner.close();
    }
  }
  return { task, groups: groups() };
}

/** Writes a SuperNI task file: the task's fields, then one instance a line from the groups' id, input and references. */
export function writeSuperNiTask(
  path: string,
  task: Pick<SuperNiTask, "definition"> & Partial<SuperNiTask>,
  groups: AsyncIterable<ParaphraseGroup> | Iterable<ParaphraseGroup>,
): Promise<void> {
  return streamTextAtomic(path, async (out) => {
    const header: Record<string, unknown> = {
      ...task.metadata,
      Definition: [task.definition],
      "Positive Examples": task.positiveExamples ?? [],
      "Negative Examples": task.negativeExamples ?? [],
    };
    await out.write("{\n");
    for (const [key, value] of Object.entries(header))
      await out.write(`  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`);
    await out.write(`  "${INSTANCES}": [`);
    let first = true;
    for await (const g of groups) {
      const instance = { id: g.id, input: g.input, output: g.references };
      await out.write(`${first ? "\n" : ",\n"}    ${JSON.stringify(instance)}`);
      first = false;
    }
    await out.write(first ? "]\n}\n" : "\n  ]\n}\n");
  });
}

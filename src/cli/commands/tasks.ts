// `calign tasks`: the built-in task suite — every family with its wording pools and example instances.
import { type OptionSchema, schemaHelp } from "../../config/index.js";
import { family, listFamilies } from "../../tasks/registry.js";
import { instanceSplit } from "../../tasks/splits.js";
import type { TaskFamily } from "../../tasks/task-family.js";
import { INPUT_PLACEHOLDER, renderWording } from "../../tasks/wordings.js";
import { workedTarget } from "../../tasks/worked-answer.js";
import { type Command, UsageError } from "../command.js";
import { type CommandOutput, processOutput } from "../command-output.js";
import { parseOptions } from "../parse-options.js";

export const TASKS_OPTIONS = {
  count: { type: "integer", default: 5, min: 1, help: "instances shown by 'show'" },
  seed: { type: "integer", default: 0, min: 0, help: "seed of the instances shown by 'show'" },
  json: { type: "boolean", default: false, help: "print JSON instead of text" },
} as const satisfies OptionSchema;

const HELP = `Usage: calign tasks list [--json]
       calign tasks show NAME [--count N] [--seed N] [--json]

The built-in task suite: task families whose instances are generated from a seed with one exact
reference answer (a word, a number, yes/no, true/false, or a comma-separated list), each with three
disjoint pools of instruction wordings:
  seed       the "original" instructions, the only ones the plain SFT baseline trains on
  augment    extra wordings SFT(IA) may train on (an offline stand-in for an LLM paraphraser)
  held-out   evaluation only: no training split ever contains them
Every wording contains ${INPUT_PLACEHOLDER} once, where the instance input goes. Inputs are split between
training and evaluation by a hash of (family, input), so no evaluation input occurs in training.

Subcommands:
  list          every family: description, wordings per pool, one example instance
  show NAME     one family: all its wordings and a few instances (with the split each belongs to and,
                where the family works its answers out, the worked target: calign demo --worked)

Options:
${schemaHelp(TASKS_OPTIONS)}
`;

const counts = (f: TaskFamily) => ({
  seed: f.seedWordings.length,
  heldOut: f.heldOutWordings.length,
  augment: f.augmentWordings.length,
});

/** Instances with their split and, where the family works its answers out, the worked target. */
function instances(f: TaskFamily, seed: number, count: number) {
  return Array.from({ length: count }, (_, index) => {
    const instance = f.generate(seed, index);
    const { input, answer, work } = instance;
    const worked = work === undefined ? {} : { worked: workedTarget(instance) };
    return { seed, index, input, answer, ...worked, split: instanceSplit(f, input) };
  });
}

/** Multi-line inputs on one line, for the list view. */
const oneLine = (text: string) => text.replaceAll("\n", " / ");

function listText(): string {
  const lines = listFamilies().map((f) => {
    const c = counts(f);
    const example = f.generate(0, 0);
    return [
      f.name,
      `  ${f.description}`,
      `  wordings: ${c.seed} seed, ${c.augment} augment, ${c.heldOut} held-out`,
      `  example: ${oneLine(example.input)} -> ${example.answer}`,
    ].join("\n");
  });
  return `${listFamilies().length} task families\n\n${lines.join("\n\n")}\n`;
}

function showText(f: TaskFamily, seed: number, count: number): string {
  const pool = (title: string, wordings: readonly string[]) =>
    [`${title} (${wordings.length}):`, ...wordings.map((w) => `  - ${JSON.stringify(w)}`)].join("\n");
  const shown = instances(f, seed, count).map(
    (i) =>
      `  [seed ${i.seed}, index ${i.index}, ${i.split}] ${JSON.stringify(i.input)} -> ${JSON.stringify(i.answer)}${"worked" in i ? `\n      worked: ${JSON.stringify(i.worked)}` : ""}`,
  );
  const first = instances(f, seed, 1)[0]!;
  return [
    `${f.name}: ${f.description}`,
    "",
    pool("seed wordings", f.seedWordings),
    pool("augment wordings", f.augmentWordings),
    pool("held-out wordings", f.heldOutWordings),
    "",
    `instances (seed ${seed}):`,
    ...shown,
    "",
    "the first instance under the first seed wording:",
    renderWording(f.seedWordings[0]!, first.input),
    "",
  ].join("\n");
}

export const tasks: Command & { run(argv: string[], io?: CommandOutput): Promise<number> } = {
  name: "tasks",
  summary: "the built-in task suite: families, wording pools (seed / augment / held-out), instances",
  help: HELP,
  options: TASKS_OPTIONS,
  async run(argv: string[], io: CommandOutput = processOutput) {
    const { options: values, positionals, given } = parseOptions(TASKS_OPTIONS, argv, Infinity);
    const [sub, name, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    const json = values.json;
    if (sub === "list") {
      if (name !== undefined) throw new UsageError(`'list' takes no argument, got '${name}'`);
      if (given.has("count") || given.has("seed")) throw new UsageError("--count and --seed go with 'show'");
      const out = listFamilies().map((f) => ({
        name: f.name,
        description: f.description,
        wordings: counts(f),
        example: f.generate(0, 0),
      }));
      await io.stdout(json ? `${JSON.stringify(out, null, 2)}\n` : listText());
      return 0;
    }
    if (sub === "show") {
      if (name === undefined) throw new UsageError("'show' needs a family name (see calign tasks list)");
      let f: TaskFamily;
      try {
        f = family(name);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
      const { seed, count } = values;
      const out = {
        name: f.name,
        description: f.description,
        seedWordings: f.seedWordings,
        augmentWordings: f.augmentWordings,
        heldOutWordings: f.heldOutWordings,
        instances: instances(f, seed, count),
      };
      await io.stdout(json ? `${JSON.stringify(out, null, 2)}\n` : showText(f, seed, count));
      return 0;
    }
    throw new UsageError(
      sub === undefined ? "give a subcommand: list or show (see --help)" : `unknown subcommand '${sub}'`,
    );
  },
};

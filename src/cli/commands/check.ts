// `calign check`: a consistency gate for CI. Reads a check config (docs/ci.md), runs the cases against
// the system, prints the failing cases with their most divergent pair, writes JSON, JUnit XML and HTML,
// and exits 0 (every threshold met), 1 (a threshold missed) or 2 (an error: bad config, unreachable
// server, ...). --format github adds GitHub Actions annotations on the failing cases' lines.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { checkHtml } from "../../check/check-html.js";
import { checkTable } from "../../check/check-table.js";
import { errorAnnotation, githubAnnotations } from "../../check/github-annotations.js";
import { junitXml } from "../../check/junit.js";
import { loadConfig, type Schema, schemaHelp } from "../../config/index.js";
import { writeTextAtomic } from "../../util/atomic-write.js";
import { type Command, UsageError } from "../command.js";
import { type CommandOutput, processOutput } from "../command-output.js";
import { failureText } from "../failure.js";

export const CHECK_SCHEMA: Schema = {
  format: {
    type: "string",
    default: "text",
    choices: ["text", "github"],
    help: "text, or github: also ::error annotations (file, line) for GitHub Actions",
  },
  output_dir: {
    type: "string",
    default: "calign-check",
    help: "folder for check.json, check.junit.xml and check.html",
  },
  cache_dir: {
    type: "string",
    default: ".calign-cache",
    help: "disk cache of server responses and judge verdicts: an unchanged rerun sends no request",
  },
  cache: {
    type: "boolean",
    default: true,
    help: "use the disk cache (--no-cache: call the model every time)",
  },
};

const HELP = `Usage: calign check <check.yaml> [options]

A consistency gate for CI: asks the system under test every case's instruction in several wordings,
measures how consistent its answers are (CR: mean similarity over pairs of responses) and how good
the worst wording's answer is, and fails when a threshold is missed. The config names the system (an
OpenAI-compatible url with its API key from the environment, a local model path or GGUF, or a mock),
the cases (inline, calign paraphrase-group JSONL, or a promptfoo config's prompts and tests), where
variants come from (given, rules, pool, model), the similarity (exact, rougeL, threshold, judge) and
the thresholds per case and overall. The format, with every key: docs/ci.md.

Prints every case and, for each failing one, its most divergent pair of variants side by side; writes
check.json, check.junit.xml (one testcase per case) and check.html (self-contained) to --output-dir.

Options:
${schemaHelp(CHECK_SCHEMA)}

Exit status: 0 every threshold met, 1 a threshold missed, 2 an error (bad config: file:line: key:
message; unreachable server; ...). The config is validated in full before any model is called.
`;

/** `file:line` at the start of an error message, for an annotation on the config's line. */
function located(message: string): { file: string; line: number } | null {
  const m = /^([^\s:][^:]*):(\d+): /.exec(message);
  return m === null ? null : { file: m[1]!, line: Number(m[2]) };
}

async function gate(argv: string[], io: CommandOutput, state: { github: boolean }): Promise<number> {
  const { values, positionals } = loadConfig(CHECK_SCHEMA, argv);
  state.github = values.get("format") === "github";
  if (positionals.length !== 1) throw new UsageError("give one check config file (see calign check --help)");
  const { readCheckConfig } = await import("../../check/check-config.js");
  const { runCheck } = await import("../../check/run-check.js");
  const config = await readCheckConfig(positionals[0]!);
  const result = await runCheck(config, {
    cacheDir: values.get("cache") === true ? (values.get("cache_dir") as string) : null,
    progress: (m) => io.stderr(`calign check: ${m}\n`),
  });
  const dir = values.get("output_dir") as string;
  mkdirSync(dir, { recursive: true });
  const files = {
    json: join(dir, "check.json"),
    junit: join(dir, "check.junit.xml"),
    html: join(dir, "check.html"),
  };
  await writeTextAtomic(files.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeTextAtomic(files.junit, junitXml(result));
  await writeTextAtomic(files.html, checkHtml(result));
  await io.stdout(checkTable(result));
  if (state.github) await io.stdout(githubAnnotations(result));
  await io.stdout(`written: ${files.json}, ${files.junit}, ${files.html}\n`);
  return result.passed ? 0 : 1;
}

export const check: Command & { run(argv: string[], io?: CommandOutput): Promise<number> } = {
  name: "check",
  summary: "consistency gate for CI: thresholds on CR and worst-variant quality, JUnit/JSON/HTML, exit 0/1/2",
  help: HELP,
  options: CHECK_SCHEMA,
  async run(argv: string[], io: CommandOutput = processOutput) {
    const state = { github: false };
    try {
      return await gate(argv, io, state);
    } catch (err) {
      // Every error is exit 2, so CI tells "the model got worse" (1) from "the check could not run".
      const message = err instanceof Error ? err.message : String(err);
      io.stderr(failureText("check", err));
      const at = located(message);
      if (at !== null && state.github)
        await io.stdout(errorAnnotation(at.file, at.line, "calign check: error", message));
      return 2;
    }
  },
};

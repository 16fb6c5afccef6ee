// The shape every stand-alone pipeline stage command shares: options from a schema (flags or
// --config), required ones checked, the stage run, its summary printed as JSON and saved beside the
// output as OUTPUT.summary.json.

import type { ConfigValue } from "../config/index.js";
import { loadConfig, type Schema, schemaHelp } from "../config/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { type Command, UsageError } from "./command.js";
import { progressBar } from "./progress.js";

export interface StageSpec {
  name: string;
  summary: string;
  /** Paragraphs of --help above the options. */
  description: string;
  schema: Schema;
  required: string[];
  /** Where the summary goes (the option holding the output path). */
  outputKey: string;
  run(
    get: (key: string) => ConfigValue,
    progress: (done: number, total: number, info?: string) => void,
  ): Promise<unknown>;
}

export function stageCommand(spec: StageSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: `Usage: calign ${spec.name} ${spec.required.map((k) => `--${k} ${k.toUpperCase()}`).join(" ")} [options]\n\n${spec.description}\n\nOptions (also from a YAML/JSON file with --config FILE):\n${schemaHelp(spec.schema)}\n`,
    async run(argv) {
      const loaded = loadConfig(spec.schema, argv);
      if (loaded.positionals.length > 0)
        throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
      for (const k of spec.required)
        if (loaded.values.get(k) === null) throw new UsageError(`--${k} is required`);
      const get = (k: string) => loaded.values.get(k) as ConfigValue;
      const bar = progressBar(spec.name, 1);
      const summary = await spec.run(get, (done, total, info) => bar.update(done, info ?? "", total));
      bar.finish();
      writeJsonAtomicSync(`${get(spec.outputKey) as string}.summary.json`, summary);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    },
  };
}

// The shape every stand-alone pipeline stage command shares: options from a schema (flags or
// --config), required ones checked, the stage run on its typed settings, its summary printed as JSON and
// saved beside the output as OUTPUT.summary.json.

import { loadConfig, type OptionSchema, type SettingsOf, schemaHelp, settingsOf } from "../config/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { type Command, UsageError } from "./command.js";
import { progressBar } from "./progress.js";
import { requireSingleProcess } from "./single-process.js";

export interface StageSpec<S extends OptionSchema, R extends keyof S & string> {
  name: string;
  summary: string;
  /** Paragraphs of --help above the options. */
  description: string;
  schema: S;
  required: readonly R[];
  /** Where the summary goes (the option holding the output path). */
  outputKey: R;
  run(
    settings: SettingsOf<S, R>,
    progress: (done: number, total: number, info?: string) => void,
  ): Promise<unknown>;
}

export function stageCommand<S extends OptionSchema, R extends keyof S & string>(
  spec: StageSpec<S, R>,
): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: `Usage: calign ${spec.name} ${spec.required.map((k) => `--${k} ${k.toUpperCase()}`).join(" ")} [options]\n\n${spec.description}\n\nOptions (also from a YAML/JSON file with --config FILE):\n${schemaHelp(spec.schema)}\n`,
    async run(argv) {
      requireSingleProcess(`calign ${spec.name}`);
      const loaded = loadConfig(spec.schema, argv);
      if (loaded.positionals.length > 0)
        throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
      const settings = settingsOf(spec.schema, loaded.values, {
        required: spec.required,
        missing: (k) => new UsageError(`--${k} is required`),
      });
      const bar = progressBar(spec.name, 1);
      const summary = await spec.run(settings, (done, total, info) => bar.update(done, info ?? "", total));
      bar.finish();
      writeJsonAtomicSync(`${String(loaded.values.get(spec.outputKey))}.summary.json`, summary);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    },
  };
}

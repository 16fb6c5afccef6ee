// The shape every stand-alone pipeline stage command shares: options from a schema (flags or
// --config), required ones checked, the stage run on its typed settings, its summary printed as JSON and
// saved beside the output as OUTPUT.summary.json. A stage that shards runs across the ranks a launcher
// started (rank 0 writes and prints); the others refuse to start as one of several ranks.

import {
  flagOf,
  loadConfig,
  type OptionSchema,
  type SettingsOf,
  schemaHelp,
  settingsOf,
} from "../config/index.js";
import { ProcessGroup } from "../distributed/index.js";
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
  /** The stage shares its work across the ranks of a launch (and writes on rank 0 only). */
  distributes?: boolean;
  run(
    settings: SettingsOf<S, R>,
    progress: (done: number, total: number, info?: string) => void,
    group: ProcessGroup | undefined,
  ): Promise<unknown>;
}

export function stageCommand<S extends OptionSchema, R extends keyof S & string>(
  spec: StageSpec<S, R>,
): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    options: spec.schema,
    help: `Usage: calign ${spec.name} ${spec.required.map((k) => `--${flagOf(k)} ${k.toUpperCase()}`).join(" ")} [options]\n\n${spec.description}\n\nOptions (also from a YAML/JSON file with --config FILE):\n${schemaHelp(spec.schema)}\n`,
    async run(argv) {
      if (spec.distributes !== true) requireSingleProcess(`calign ${spec.name}`);
      const loaded = loadConfig(spec.schema, argv);
      if (loaded.positionals.length > 0)
        throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
      const settings = settingsOf(spec.schema, loaded.values, {
        required: spec.required,
        missing: (k) => new UsageError(`--${flagOf(k)} is required`),
      });
      const group = spec.distributes === true ? await ProcessGroup.fromEnv() : undefined;
      const isMain = group === undefined || group.isMain;
      const bar = progressBar(spec.name, 1);
      const summary = await spec.run(
        settings,
        (done, total, info) => {
          if (isMain) bar.update(done, info ?? "", total);
        },
        group,
      );
      bar.finish();
      await group?.destroy();
      if (!isMain) return 0;
      writeJsonAtomicSync(`${String(loaded.values.get(spec.outputKey))}.summary.json`, summary);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    },
  };
}

// The shape every stand-alone pipeline stage command shares: options from a schema (flags or
// --config), required ones checked, the stage run on its typed settings, its summary printed as JSON and
// saved beside the output as OUTPUT.summary.json. A stage that opens a model also takes the `--http.*`
// options, keeps its completed HTTP calls in OUTPUT.http-cache until it succeeds (so a rerun after an
// outage resumes), and stops its calls on Ctrl-C.

import type { Connection } from "../align/stage-files.js";
import { HTTP_OPTIONS, httpDefaults } from "../backends/http-options.js";
import { loadConfig, type OptionSchema, type SettingsOf, schemaHelp, settingsOf } from "../config/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { type Command, UsageError } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { progressBar } from "./progress.js";

export interface StageSpec<S extends OptionSchema, R extends keyof S & string> {
  name: string;
  summary: string;
  /** Paragraphs of --help above the options. */
  description: string;
  schema: S;
  required: readonly R[];
  /** Where the summary goes (the option holding the output path). */
  outputKey: R;
  /** The stage opens a model (or may): it takes the `--http.*` options and gets a connection. */
  opensModel?: boolean;
  run(
    settings: SettingsOf<S, R>,
    progress: (done: number, total: number, info?: string) => void,
    connection: Connection,
  ): Promise<unknown>;
}

export function stageCommand<S extends OptionSchema, R extends keyof S & string>(
  spec: StageSpec<S, R>,
): Command {
  const schema = spec.opensModel ? { ...spec.schema, http: HTTP_OPTIONS } : spec.schema;
  return {
    name: spec.name,
    summary: spec.summary,
    help: `Usage: calign ${spec.name} ${spec.required.map((k) => `--${k} ${k.toUpperCase()}`).join(" ")} [options]\n\n${spec.description}\n\nOptions (also from a YAML/JSON file with --config FILE):\n${schemaHelp(schema)}\n`,
    async run(argv) {
      const loaded = loadConfig(schema, argv);
      if (loaded.positionals.length > 0)
        throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
      const settings = settingsOf(spec.schema, loaded.values, {
        required: spec.required,
        missing: (k) => new UsageError(`--${k} is required`),
      });
      const output = String(loaded.values.get(spec.outputKey));
      // Only a stage that calls a model has calls to stop; the others end on Ctrl-C as usual.
      const stop = spec.opensModel ? interruptSignal() : null;
      const connection: Connection = {
        http: spec.opensModel ? settingsOf(HTTP_OPTIONS, loaded.values, { prefix: "http." }) : httpDefaults(),
        cacheDir: `${output}.http-cache`,
        ...(stop ? { signal: stop.signal } : {}),
      };
      const bar = progressBar(spec.name, 1);
      let summary: unknown;
      try {
        summary = await spec.run(
          settings,
          (done, total, info) => bar.update(done, info ?? "", total),
          connection,
        );
      } catch (err) {
        if (!stop?.signal.aborted) throw err;
        process.stderr.write(
          `calign ${spec.name}: stopped; rerun the same command to continue (completed calls to a server are kept in ${connection.cacheDir})\n`,
        );
        return 130;
      } finally {
        stop?.dispose();
      }
      bar.finish();
      writeJsonAtomicSync(`${output}.summary.json`, summary);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    },
  };
}

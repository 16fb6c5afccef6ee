// The shape every stand-alone pipeline stage command shares: options from a schema (flags or
// --config), required ones checked, the stage run on its typed settings, its summary printed as JSON and
// saved beside the output as OUTPUT.summary.json. A stage that opens a model also takes `--device` and
// `--dtype` (where and in what calign's engine runs a model path) and the `--http.*` options, keeps its
// completed HTTP calls in OUTPUT.http-cache until it succeeds (so a rerun after an outage resumes), and
// stops its calls on Ctrl-C.
// A stage that shards runs across the ranks a launcher started (rank 0 writes and prints); the others
// refuse to start as one of several ranks.

import type { Connection } from "../align/stage-files.js";
import { HTTP_OPTIONS, httpDefaults } from "../backends/http-options.js";
import {
  flagOf,
  loadConfig,
  type OptionSchema,
  type SettingsOf,
  schemaHelp,
  settingsOf,
} from "../config/index.js";
import { DEVICE, DIST_TIMEOUT, DTYPE } from "../config/shared-options.js";
import { ProcessGroup } from "../distributed/index.js";
import type { DType } from "../engine/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { type Command, UsageError } from "./command.js";
import { interruptSignal } from "./interrupt.js";
import { workerEngineOptions } from "./model-inputs.js";
import { progressBar } from "./progress.js";
import { requireSingleProcess } from "./single-process.js";

export interface StageSpec<S extends OptionSchema, R extends keyof S & string> {
  name: string;
  summary: string;
  description: string;
  schema: S;
  /** Options that must be given (checked after flags and --config are merged). */
  required: readonly R[];
  /** Where the summary goes (the option holding the output path). */
  outputKey: R;
  /** The stage opens a model (or may): it takes `--device`, `--dtype`, `--http.*`, and gets a connection. */
  opensModel?: boolean;
  /** The stage shares its work across the ranks of a launch (and writes on rank 0 only). */
  distributes?: boolean;
  run(
    settings: SettingsOf<S, R>,
    progress: (done: number, total: number, info?: string) => void,
    connection: Connection,
    group: ProcessGroup | undefined,
  ): Promise<unknown>;
  /** What the user must be told about the summary, written to standard error (none by default). */
  warnings?(summary: unknown): string[];
}

export function stageCommand<S extends OptionSchema, R extends keyof S & string>(
  spec: StageSpec<S, R>,
): Command {
  const schema = {
    ...spec.schema,
    ...(spec.opensModel ? { device: DEVICE, dtype: DTYPE, http: HTTP_OPTIONS } : {}),
    ...(spec.distributes ? { dist_timeout: DIST_TIMEOUT } : {}),
  };
  return {
    name: spec.name,
    summary: spec.summary,
    options: schema,
    help: `Usage: calign ${spec.name} ${spec.required.map((k) => `--${flagOf(k)} ${k.toUpperCase()}`).join(" ")} [options]\n\n${spec.description}\n\nOptions (also from a YAML/JSON file with --config FILE):\n${schemaHelp(schema)}\n`,
    async run(argv) {
      if (spec.distributes !== true) requireSingleProcess(`calign ${spec.name}`);
      const loaded = loadConfig(schema, argv);
      if (loaded.positionals.length > 0)
        throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
      const settings = settingsOf(spec.schema, loaded.values, {
        required: spec.required,
        missing: (k) => new UsageError(`--${flagOf(k)} is required`),
      });
      const output = String(loaded.values.get(spec.outputKey));
      const group =
        spec.distributes === true
          ? await ProcessGroup.fromEnv({
              timeoutMs: (loaded.values.get("dist_timeout") as number) * 1000,
              backend: "gloo",
            })
          : undefined;
      const isMain = group === undefined || group.isMain;
      // A device this build lacks, or a dtype it cannot multiply in there, is refused before anything is
      // written; auto resolves in the model's worker.
      const engine = spec.opensModel
        ? workerEngineOptions(loaded.values.get("device") as string, loaded.values.get("dtype") as DType)
        : {};
      // Only a stage that calls a model has calls to stop; the others end on Ctrl-C as usual.
      const stop = spec.opensModel ? interruptSignal() : null;
      const connection: Connection = {
        http: spec.opensModel ? settingsOf(HTTP_OPTIONS, loaded.values, { prefix: "http." }) : httpDefaults(),
        ...engine,
        cacheDir: `${output}.http-cache`,
        ...(stop ? { signal: stop.signal } : {}),
      };
      const bar = progressBar(spec.name, 1);
      let summary: unknown;
      try {
        summary = await spec.run(
          settings,
          (done, total, info) => {
            if (isMain) bar.update(done, info ?? "", total);
          },
          connection,
          group,
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
      await group?.destroy();
      if (!isMain) return 0;
      writeJsonAtomicSync(`${output}.summary.json`, summary);
      for (const w of spec.warnings?.(summary) ?? [])
        process.stderr.write(`calign ${spec.name}: warning: ${w}\n`);
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return 0;
    },
  };
}

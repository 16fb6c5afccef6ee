// Every command reads its flags the same way: through its option schema (config/), so flags, types,
// defaults, help and errors come from one place. Unknown flags and bad values are ConfigErrors that
// name the flag; the CLI prints them with the command's usage line.
import { loadConfig, type OptionSchema, type SettingsOf, settingsOf } from "../config/index.js";
import { UsageError } from "./command.js";

export interface ParsedOptions<S extends OptionSchema> {
  /** The options as typed camelCase settings. */
  options: SettingsOf<S>;
  positionals: string[];
  /** Keys the user set (by flag or --config), as opposed to defaults. */
  given: Set<string>;
}

/** argv parsed against a flat schema; at most `maxPositionals` positionals (default none). */
export function parseOptions<S extends OptionSchema>(
  schema: S,
  argv: string[],
  maxPositionals = 0,
): ParsedOptions<S> {
  const loaded = loadConfig(schema, argv);
  if (loaded.positionals.length > maxPositionals)
    throw new UsageError(`unexpected argument '${loaded.positionals[maxPositionals]}'`);
  const given = new Set([...loaded.sources].filter(([, s]) => s !== "default").map(([k]) => k));
  return { options: settingsOf(schema, loaded.values), positionals: loaded.positionals, given };
}

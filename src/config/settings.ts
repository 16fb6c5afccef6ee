// A section of options as a typed object: `{ near_duplicate: { type: "number", ... } }` read from the
// loaded values becomes `{ nearDuplicate: number }`. The type is derived from the schema, so a stage's
// settings are declared once (names, types, choices, defaults) and every command that reads them gets
// the same camelCase object.
import type { ConfigValue, FlatConfig } from "./load-config.js";
import { coerce } from "./load-config.js";
import type { OptionSpec } from "./schema.js";

/** A flat section of options (no nested sections). */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

/** snake_case → camelCase, as a type: `per_item` → `perItem`. */
type Camel<K extends string> = K extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : K;

type ValueOf<O extends OptionSpec> = O extends { choices: readonly (infer C)[] }
  ? C
  : O["type"] extends "string"
    ? string
    : O["type"] extends "boolean"
      ? boolean
      : O["type"] extends "string[]"
        ? string[]
        : number;

/**
 * The typed settings of a section: camelCase keys; an option whose default is null may be null unless
 * it is one of the required keys R.
 */
export type SettingsOf<S extends OptionSchema, R extends keyof S = never> = {
  -readonly [K in keyof S & string as Camel<K>]:
    | ValueOf<S[K]>
    | (K extends R ? never : null extends S[K]["default"] ? null : never);
};

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Reads the section `prefix` (e.g. "augment.") of loaded values as typed settings. Each value goes
 * through the same check that loading applied (type, range, choices), so the object matches its type;
 * a required key left null throws `missing(key)`.
 */
export function settingsOf<S extends OptionSchema, R extends keyof S & string = never>(
  schema: S,
  values: FlatConfig,
  { prefix = "", required = [], missing }: SettingsRead<R> = {},
): SettingsOf<S, R> {
  const needed = new Set<string>(required);
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const value = coerce(values.get(prefix + key), spec, "settings", prefix + key);
    if (value === null && needed.has(key))
      throw missing ? missing(key) : new Error(`${prefix + key} is required`);
    out[camel(key)] = value;
  }
  // Every value passed coerce against its own spec (and required ones are non-null): SettingsOf<S, R>.
  return out as SettingsOf<S, R>;
}

export interface SettingsRead<R extends string> {
  /** The section's dotted prefix in the loaded values ("" for top-level options). */
  prefix?: string;
  /** Options that must not be null. */
  required?: readonly R[];
  /** The error for a required option left null (default: "KEY is required"). */
  missing?: (key: string) => Error;
}

/** The section `prefix` of loaded values with the prefix removed, untyped (for a trainer's worker). */
export function sectionValues(values: FlatConfig, prefix: string): Record<string, ConfigValue> {
  return Object.fromEntries(
    [...values].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

// Resolves a command's effective configuration: schema defaults, then a YAML/JSON config file, then
// command-line flags (`--train.lr 1e-4`, `--train.lr=1e-4`, `--flag`, `--no-flag`, `-o FILE`,
// `--set key=value`): kebab-case flags for snake_case keys (flag-names.ts).
// Every value is validated against the schema; errors name the file and line or the flag, and the key.
import { isMap, isScalar, type YAMLMap } from "yaml";
import { ConfigError } from "./config-error.js";
import { flagOf, keyOfFlag } from "./flag-names.js";
import { nearestKeysHint } from "./nearest-keys.js";
import { readYamlFile } from "./read-yaml.js";
import { flatten, type OptionSpec, type Schema } from "./schema.js";

export type ConfigValue = string | number | boolean | string[] | null;
export type FlatConfig = Map<string, ConfigValue>;

export interface LoadedConfig {
  /** Values by dotted key. */
  values: FlatConfig;
  /** Where each value came from: "default", "FILE:LINE" or "--flag". */
  sources: Map<string, string>;
  /** Arguments that are not options (e.g. input paths). */
  positionals: string[];
}

/** One value checked against its option and brought to its type; a ConfigError names source and key. */
export function coerce(raw: unknown, spec: OptionSpec, source: string, key: string): ConfigValue {
  const fail = (why: string): never => {
    throw new ConfigError(source, key, why);
  };
  if (raw === null) {
    if (spec.default === null) return null;
    fail(`must be ${spec.type}, got null`);
  }
  switch (spec.type) {
    case "boolean":
      if (typeof raw === "boolean") return raw;
      if (raw === "true" || raw === "false") return raw === "true";
      return fail(`must be true or false, got ${JSON.stringify(raw)}`);
    case "number":
    case "integer": {
      const n =
        typeof raw === "number"
          ? raw
          : typeof raw === "string" && raw.trim() !== ""
            ? Number(raw)
            : Number.NaN;
      if (!Number.isFinite(n)) return fail(`must be a number, got ${JSON.stringify(raw)}`);
      if (spec.type === "integer" && !Number.isInteger(n)) return fail(`must be an integer, got ${n}`);
      if (spec.min !== undefined && n < spec.min) return fail(`must be >= ${spec.min}, got ${n}`);
      if (spec.max !== undefined && n > spec.max) return fail(`must be <= ${spec.max}, got ${n}`);
      return n;
    }
    case "string": {
      if (typeof raw !== "string" && typeof raw !== "number")
        return fail(`must be a string, got ${JSON.stringify(raw)}`);
      const s = String(raw);
      if (spec.choices && !spec.choices.includes(s))
        return fail(`must be one of ${spec.choices.join(", ")}, got '${s}'`);
      return s;
    }
    case "string[]": {
      const list = Array.isArray(raw)
        ? raw
        : typeof raw === "string"
          ? raw.split(",").filter((s) => s !== "")
          : null;
      if (list === null || !list.every((s) => typeof s === "string" || typeof s === "number")) {
        return fail(`must be a list of strings, got ${JSON.stringify(raw)}`);
      }
      return list.map(String);
    }
  }
}

/** Reads a YAML or JSON config file (JSON is YAML) into dotted keys with their line numbers. */
function readConfigFile(
  path: string,
  specs: Map<string, OptionSpec>,
  values: FlatConfig,
  sources: Map<string, string>,
) {
  const { contents, lines } = readYamlFile(path);
  if (contents === null) return;
  if (!isMap(contents))
    throw new ConfigError(`${path}:1`, "(top level)", "must be a mapping of keys to values");
  const walk = (map: YAMLMap, prefix: string) => {
    for (const pair of map.items) {
      const keyNode = pair.key;
      const key = `${prefix}${isScalar(keyNode) ? String(keyNode.value) : String(keyNode)}`;
      const pos = isScalar(keyNode) && keyNode.range ? lines.linePos(keyNode.range[0]).line : 0;
      const where = `${path}:${pos}`;
      const spec = specs.get(key);
      if (spec === undefined) {
        if (isMap(pair.value) && [...specs.keys()].some((k) => k.startsWith(`${key}.`))) {
          walk(pair.value, `${key}.`);
          continue;
        }
        throw new ConfigError(where, key, `unknown key (${nearestKeysHint(key, [...specs.keys()])})`);
      }
      const raw = isScalar(pair.value)
        ? pair.value.value
        : (pair.value as { toJSON(): unknown } | null)?.toJSON();
      values.set(key, coerce(raw, spec, where, key));
      sources.set(key, where);
    }
  };
  walk(contents, "");
}

/** A flag as given: the config key it sets, its value if given inline or implied, and how to name it. */
interface FlagWord {
  key: string;
  value: string | boolean | undefined;
  source: string;
}

/** The key of `--name[=value]` or `-x`: kebab-case flags only, `--no-X` for booleans, short letters. */
function flagWord(arg: string, specs: Map<string, OptionSpec>, shorts: Map<string, string>): FlagWord {
  if (!arg.startsWith("--")) {
    const key = shorts.get(arg.slice(1));
    if (key === undefined) throw new ConfigError(arg, arg, `unknown option (${flagHint(arg, specs)})`);
    return { key, value: undefined, source: arg };
  }
  const eq = arg.indexOf("=");
  const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
  const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
  const source = `--${name}`;
  // One spelling: --max-steps sets max_steps; --max_steps is refused with the flag to use.
  if (name.includes("_")) {
    const spelled = flagOf(name);
    const known = specs.has(keyOfFlag(name)) || specs.has(keyOfFlag(name.replace(/^no-/, "")));
    throw new ConfigError(
      source,
      source,
      known ? `flags are spelled --${spelled}` : `unknown option (${flagHint(name, specs)})`,
    );
  }
  const key = keyOfFlag(name);
  if (specs.has(key)) return { key, value: inline, source };
  const negated = name.startsWith("no-") ? keyOfFlag(name.slice(3)) : null;
  if (negated !== null && specs.get(negated)?.type === "boolean" && inline === undefined)
    return { key: negated, value: false, source };
  throw new ConfigError(source, source, `unknown option (${flagHint(name, specs)})`);
}

/** "did you mean --a?" among the schema's flags. */
function flagHint(name: string, specs: Map<string, OptionSpec>): string {
  const flags = [...specs.keys()].map((k) => `--${flagOf(k)}`);
  return nearestKeysHint(`--${flagOf(name.replace(/^-+/, ""))}`, flags);
}

/**
 * Defaults ← config file (`--config FILE`) ← flags. Unknown keys, unknown flags and bad values throw
 * ConfigError. An argument that is not a flag (or "-", standard input) is a positional.
 */
export function loadConfig(schema: Schema, argv: string[]): LoadedConfig {
  const specs = new Map(flatten(schema));
  const shorts = new Map(
    [...specs].flatMap(([k, s]) => (s.short === undefined ? [] : [[s.short, k] as [string, string]])),
  );
  const values: FlatConfig = new Map();
  const sources = new Map<string, string>();
  for (const [k, s] of specs) {
    values.set(k, s.default);
    sources.set(k, "default");
  }
  const positionals: string[] = [];
  const flags: [string, string | boolean, string][] = [];
  let configFile: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!/^--?[a-zA-Z]/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const inline = arg.startsWith("--") && arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : undefined;
    const name = arg.startsWith("--") ? arg.slice(2).split("=")[0] : undefined;
    if (name === "set") {
      const kv = inline ?? argv[++i];
      const at = kv?.indexOf("=") ?? -1;
      if (kv === undefined || at < 0) throw new ConfigError("--set", String(kv), "expected --set key=value");
      flags.push([kv.slice(0, at), kv.slice(at + 1), `--set ${kv}`]);
      continue;
    }
    if (name === "config") {
      configFile = inline ?? argv[++i] ?? null;
      if (configFile === null) throw new ConfigError("--config", "config", "expected a file path");
      continue;
    }
    const word = flagWord(arg, specs, shorts);
    const spec = specs.get(word.key)!;
    let value = word.value;
    if (value === undefined) {
      const next = argv[i + 1];
      if (spec.type === "boolean" && (next === undefined || (next !== "true" && next !== "false")))
        value = true;
      else if (next === undefined) throw new ConfigError(word.source, word.source, "expected a value");
      else value = argv[++i] as string;
    }
    flags.push([word.key, value, word.source]);
  }
  if (configFile !== null) readConfigFile(configFile, specs, values, sources);
  const repeated = new Set<string>();
  for (const [key, value, source] of flags) {
    const spec = specs.get(key);
    if (spec === undefined)
      throw new ConfigError(source, key, `unknown key (${nearestKeysHint(key, [...specs.keys()])})`);
    if (spec.repeat === true) {
      // Each occurrence is one item, commas and all (--stop "a, b" --stop END).
      const before = repeated.has(key) ? (values.get(key) as string[]) : [];
      repeated.add(key);
      values.set(key, [...before, String(value)]);
    } else values.set(key, coerce(value, spec, source, source.startsWith("--set ") ? key : source));
    sources.set(key, source);
  }
  return { values, sources, positionals };
}

/** Nests dotted keys back into objects, for saving and for typed access. */
export function nest(values: FlatConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of values) {
    const parts = key.split(".");
    let cur = out;
    for (const p of parts.slice(0, -1)) {
      cur[p] ??= {};
      cur = cur[p] as Record<string, unknown>;
    }
    cur[parts[parts.length - 1] as string] = v;
  }
  return out;
}

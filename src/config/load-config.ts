// Resolves a command's effective configuration: schema defaults, then a YAML/JSON config file, then
// command-line flags (`--train.lr 1e-4`, `--train.lr=1e-4`, `--flag`, `--no-flag`, `--set key=value`).
// Every value is validated against the schema; errors name the file and line or the flag, and the key.
import { readFileSync } from "node:fs";
import { isMap, isScalar, LineCounter, parseDocument, type YAMLMap } from "yaml";
import { ConfigError } from "./config-error.js";
import { nearestKeysHint } from "./nearest-keys.js";
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
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, "(file)", `cannot read: ${(err as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lines.linePos(e.pos[0]).line;
    throw new ConfigError(`${path}:${line}`, "(syntax)", e.message.split("\n")[0] ?? "invalid YAML");
  }
  if (doc.contents === null) return;
  if (!isMap(doc.contents))
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
  walk(doc.contents, "");
}

/**
 * Defaults ← config file (`--config FILE`) ← flags. Unknown keys and bad values throw ConfigError.
 */
export function loadConfig(schema: Schema, argv: string[]): LoadedConfig {
  const specs = new Map(flatten(schema));
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
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | boolean | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (name === "set") {
      const kv = value ?? argv[++i];
      const at = kv?.indexOf("=") ?? -1;
      if (kv === undefined || at < 0) throw new ConfigError("--set", String(kv), "expected --set key=value");
      flags.push([kv.slice(0, at), kv.slice(at + 1), `--set ${kv}`]);
      continue;
    }
    if (name === "config") {
      configFile = value === undefined ? (argv[++i] ?? null) : String(value);
      if (configFile === null) throw new ConfigError("--config", "config", "expected a file path");
      continue;
    }
    // --max-steps and --max_steps both work (TRL's flags use underscores, most CLIs dashes).
    if (!specs.has(name) && specs.has(name.replaceAll("-", "_"))) name = name.replaceAll("-", "_");
    if (
      !specs.has(name) &&
      name.startsWith("no-") &&
      specs.get(name.slice(3).replaceAll("-", "_"))?.type === "boolean"
    ) {
      name = name.slice(3).replaceAll("-", "_");
      value = false;
    }
    const spec = specs.get(name);
    if (spec === undefined)
      throw new ConfigError(
        `--${name}`,
        name,
        `unknown option (${nearestKeysHint(name, [...specs.keys()])})`,
      );
    if (value === undefined) {
      const next = argv[i + 1];
      if (spec.type === "boolean" && (next === undefined || (next !== "true" && next !== "false")))
        value = true;
      else if (next === undefined) throw new ConfigError(`--${name}`, name, "expected a value");
      else value = argv[++i] as string;
    }
    flags.push([name, value, `--${name}`]);
  }
  if (configFile !== null) readConfigFile(configFile, specs, values, sources);
  for (const [name, value, source] of flags) {
    const spec = specs.get(name);
    if (spec === undefined) throw new ConfigError(source, name, "unknown option");
    values.set(name, coerce(value, spec, source, name));
    sources.set(name, source);
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

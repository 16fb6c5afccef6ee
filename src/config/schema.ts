// Declarative option schemas: one definition per command gives its config-file keys, its CLI flags,
// validation with clear errors, the defaults, and the --help text, so the four never disagree.

export type OptionType = "string" | "number" | "integer" | "boolean" | "string[]";

export interface OptionSpec {
  type: OptionType;
  default: string | number | boolean | string[] | null;
  help: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
}

/** Nested sections of options: `{ train: { lr: {...} } }` is the key `train.lr`. */
export interface Schema {
  [key: string]: OptionSpec | Schema;
}

export function isOption(v: OptionSpec | Schema): v is OptionSpec {
  return typeof (v as OptionSpec).type === "string" && typeof (v as OptionSpec).help === "string";
}

/** Every option with its dotted key, in definition order. */
export function flatten(schema: Schema, prefix = ""): [string, OptionSpec][] {
  return Object.entries(schema).flatMap(([k, v]) =>
    isOption(v) ? [[`${prefix}${k}`, v] as [string, OptionSpec]] : flatten(v, `${prefix}${k}.`),
  );
}

/** The --help lines for a schema: flag, value kind, help and default. */
export function schemaHelp(schema: Schema): string {
  const rows = flatten(schema).map(([key, o]) => {
    const value =
      o.type === "boolean" ? "" : o.choices ? ` ${o.choices.join("|")}` : ` ${o.type.toUpperCase()}`;
    const dflt =
      o.default === null
        ? "none"
        : Array.isArray(o.default)
          ? o.default.join(",") || "[]"
          : String(o.default);
    return [`  --${key}${value}`, `${o.help} (default: ${dflt})`] as const;
  });
  const width = Math.min(40, Math.max(...rows.map(([f]) => f.length)) + 2);
  return rows
    .map(([f, h]) => (f.length < width ? f.padEnd(width) + h : `${f}\n${" ".repeat(width)}${h}`))
    .join("\n");
}

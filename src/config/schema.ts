// Declarative option schemas: one definition per command gives its config-file keys, its CLI flags,
// validation with clear errors, the defaults, and the --help text, so the four never disagree.

import { flagOf } from "./flag-names.js";

export type OptionType = "string" | "number" | "integer" | "boolean" | "string[]";

export interface OptionSpec {
  type: OptionType;
  default: string | number | boolean | string[] | null;
  help: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** A one-letter alias (`o` for `-o`). */
  short?: string;
  /** string[] only: every occurrence of the flag adds one item, commas included (`--stop`). */
  repeat?: boolean;
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

/** The --help lines for a schema: flag (kebab-case), value kind, help and default, wrapped. */
export function schemaHelp(schema: Schema, width = 108): string {
  const rows = flatten(schema).map(([key, o]) => {
    const value =
      o.type === "boolean"
        ? ""
        : o.choices
          ? ` ${o.choices.join("|")}`
          : ` ${(o.repeat ? "string" : o.type).toUpperCase()}`;
    const dflt =
      o.default === null
        ? "none"
        : Array.isArray(o.default)
          ? o.default.join(",") || "[]"
          : String(o.default);
    const flag = `${o.short === undefined ? "" : `-${o.short}, `}--${flagOf(key)}`;
    return [`  ${flag}${value}`, `${o.help} (default: ${dflt})`] as const;
  });
  const column = Math.min(40, Math.max(...rows.map(([f]) => f.length)) + 2);
  const pad = " ".repeat(column);
  return rows
    .map(([f, h]) => {
      const text = wrap(h, width - column).join(`\n${pad}`);
      return f.length < column ? f.padEnd(column) + text : `${f}\n${pad}${text}`;
    })
    .join("\n");
}

/** Words into lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}

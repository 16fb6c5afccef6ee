// Reading a YAML (or JSON, which is YAML) file with the line of every node: shared by the flat option
// loader (load-config.ts) and the structured reader (yaml-node.ts), so both report the same errors.
import { readFileSync } from "node:fs";
import { LineCounter, type Node, parseDocument } from "yaml";
import { ConfigError } from "./config-error.js";

export interface YamlFile {
  /** The document's root node; null for an empty file. */
  contents: Node | null;
  /** Offsets to lines, for `file:line` in errors. */
  lines: LineCounter;
}

/** The parsed document; an unreadable file or a syntax error throws a ConfigError naming file and line. */
export function readYamlFile(path: string): YamlFile {
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
  return { contents: (doc.contents as Node | null) ?? null, lines };
}

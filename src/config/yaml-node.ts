// Typed reads of a structured YAML document (lists and nested mappings, which the flat option schema
// does not cover): every failure is a ConfigError naming the file, the line of the offending node and
// its dotted path (`cases[2].references`), and unknown keys are errors, not silently ignored.
import { isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { ConfigError } from "./config-error.js";
import { readYamlFile } from "./read-yaml.js";

export class YamlNode {
  private constructor(
    private readonly node: Node | null,
    readonly file: string,
    private readonly lines: LineCounter,
    /** Dotted path from the document root ("" for the root). */
    readonly path: string,
    /** Line of the parent's key, used when the node itself has no position. */
    private readonly fallbackLine: number,
  ) {}

  /** The document of a YAML (or JSON) file; syntax errors name their line. */
  static read(file: string): YamlNode {
    const { contents, lines } = readYamlFile(file);
    return new YamlNode(contents, file, lines, "", 1);
  }

  /** 1-based line where this node starts. */
  get line(): number {
    const range = this.node?.range;
    return range ? this.lines.linePos(range[0]).line : this.fallbackLine;
  }

  /** `file:line` of this node. */
  get where(): string {
    return `${this.file}:${this.line}`;
  }

  fail(message: string, key = this.path || "(top level)"): never {
    throw new ConfigError(this.where, key, message);
  }

  get isNull(): boolean {
    return this.node === null || (isScalar(this.node) && this.node.value === null);
  }

  get isMap(): boolean {
    return isMap(this.node);
  }

  get isList(): boolean {
    return isSeq(this.node);
  }

  /** The keys of a mapping, in document order; fails unless this is a mapping. */
  keys(): string[] {
    if (!isMap(this.node)) this.fail(`must be a mapping of keys to values, got ${this.kind()}`);
    return this.node.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key));
  }

  /** Rejects keys outside `allowed`, naming the line of the unknown key. */
  onlyKeys(allowed: readonly string[]): void {
    for (const key of this.keys())
      if (!allowed.includes(key)) this.get(key).fail(`unknown key (known: ${allowed.join(", ")})`);
  }

  has(key: string): boolean {
    if (this.node === null) return false;
    return this.keys().includes(key) && !this.get(key).isNull;
  }

  /** The value under key (a null node, at the mapping's line, when absent). */
  get(key: string): YamlNode {
    const path = this.path === "" ? key : `${this.path}.${key}`;
    if (this.node === null) return new YamlNode(null, this.file, this.lines, path, this.line);
    if (!isMap(this.node)) this.fail(`must be a mapping of keys to values, got ${this.kind()}`);
    const pair = this.node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === key);
    if (pair === undefined) return new YamlNode(null, this.file, this.lines, path, this.line);
    const keyRange = (pair.key as Node | null)?.range;
    const keyLine = keyRange ? this.lines.linePos(keyRange[0]).line : this.line;
    return new YamlNode((pair.value as Node | null) ?? null, this.file, this.lines, path, keyLine);
  }

  /** The items of a list; fails unless this is a list. */
  items(): YamlNode[] {
    if (!isSeq(this.node)) this.fail(`must be a list, got ${this.kind()}`);
    return this.node.items.map(
      (n, i) =>
        new YamlNode((n as Node | null) ?? null, this.file, this.lines, `${this.path}[${i}]`, this.line),
    );
  }

  string({ nonEmpty = true } = {}): string {
    const v = this.scalar();
    if (typeof v !== "string" && typeof v !== "number") this.fail(`must be a string, got ${this.kind()}`);
    const s = String(v);
    if (nonEmpty && s.trim() === "") this.fail("must not be empty");
    return s;
  }

  choice<const T extends string>(choices: readonly T[]): T {
    const s = this.string();
    if (!(choices as readonly string[]).includes(s))
      this.fail(`must be one of ${choices.join(", ")}, got '${s}'`);
    return s as T;
  }

  number({ min, max, integer = false }: { min?: number; max?: number; integer?: boolean } = {}): number {
    const v = this.scalar();
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(`must be a number, got ${this.kind()}`);
    if (integer && !Number.isInteger(v)) this.fail(`must be an integer, got ${v}`);
    if (min !== undefined && v < min) this.fail(`must be >= ${min}, got ${v}`);
    if (max !== undefined && v > max) this.fail(`must be <= ${max}, got ${v}`);
    return v;
  }

  boolean(): boolean {
    const v = this.scalar();
    if (typeof v !== "boolean") this.fail(`must be true or false, got ${this.kind()}`);
    return v;
  }

  /** A list of strings, or one string as a list of one. */
  strings(): string[] {
    if (!this.isList) return [this.string()];
    return this.items().map((n) => n.string());
  }

  /** The plain JavaScript value of this node. */
  toJS(): unknown {
    return this.node === null ? null : (this.node as { toJSON(): unknown }).toJSON();
  }

  // Optional reads: the default when the key is absent or null.
  optString(key: string, dflt: string): string;
  optString(key: string, dflt: null): string | null;
  optString(key: string, dflt: string | null): string | null {
    return this.has(key) ? this.get(key).string() : dflt;
  }

  optNumber(key: string, dflt: number, opts?: Parameters<YamlNode["number"]>[0]): number {
    return this.has(key) ? this.get(key).number(opts) : dflt;
  }

  optBoolean(key: string, dflt: boolean): boolean {
    return this.has(key) ? this.get(key).boolean() : dflt;
  }

  private scalar(): unknown {
    if (this.node === null) this.fail("missing");
    if (!isScalar(this.node)) this.fail(`must be a single value, got ${this.kind()}`);
    if (this.node.value === null) this.fail("missing");
    return this.node.value;
  }

  private kind(): string {
    if (this.node === null) return "nothing";
    if (isMap(this.node)) return "a mapping";
    if (isSeq(this.node)) return "a list";
    const v = isScalar(this.node) ? this.node.value : undefined;
    return v === null ? "null" : JSON.stringify(v);
  }
}

// Typed reads of one JSON object's fields; every failure is a DataError naming the field's path
// (`variants[2].text`), so schema validation on read stays a few lines per format.
import { DataError, describeType, type Location } from "./errors.js";

export class Fields {
  private constructor(
    private readonly value: Record<string, unknown>,
    readonly at: Location,
    private readonly path: string,
  ) {}

  /** Wraps a value that must be a JSON object (the record itself, or a nested one at `path`). */
  static of(value: unknown, at: Location, path = "(record)"): Fields {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DataError(at, path, `expected an object, got ${describeType(value)}`);
    }
    return new Fields(value as Record<string, unknown>, at, path === "(record)" ? "" : path);
  }

  name(key: string): string {
    return this.path === "" ? key : `${this.path}.${key}`;
  }

  fail(key: string, reason: string): never {
    throw new DataError(this.at, this.name(key), reason);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.value[key];
  }

  /** Rejects keys outside `allowed`, so a misspelt field is an error, not silently ignored. */
  onlyKeys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.value)) {
      if (!allowed.includes(key)) this.fail(key, `unknown field (expected one of: ${allowed.join(", ")})`);
    }
  }

  private required(key: string): unknown {
    const v = this.value[key];
    if (v === undefined) this.fail(key, "missing");
    return v;
  }

  string(key: string, { nonEmpty = false } = {}): string {
    const v = this.required(key);
    if (typeof v !== "string") this.fail(key, `expected a string, got ${describeType(v)}`);
    if (nonEmpty && v.length === 0) this.fail(key, "must not be empty");
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  /** A finite number, optionally an integer within bounds. */
  number(key: string, { integer = false, min = -Infinity, max = Infinity } = {}): number {
    const v = this.required(key);
    if (typeof v !== "number") this.fail(key, `expected a number, got ${describeType(v)}`);
    if (integer && !Number.isInteger(v)) this.fail(key, `expected an integer, got ${v}`);
    if (v < min || v > max) this.fail(key, `must be in [${min}, ${max}], got ${v}`);
    return v;
  }

  array(key: string, { nonEmpty = false } = {}): unknown[] {
    const v = this.required(key);
    if (!Array.isArray(v)) this.fail(key, `expected an array, got ${describeType(v)}`);
    if (nonEmpty && v.length === 0) this.fail(key, "must not be empty");
    return v;
  }

  stringArray(key: string, options: { nonEmpty?: boolean } = {}): string[] {
    return this.array(key, options).map((item, i) => {
      if (typeof item !== "string") this.fail(`${key}[${i}]`, `expected a string, got ${describeType(item)}`);
      return item;
    });
  }

  numberArray(key: string, { max = Infinity } = {}): number[] {
    return this.array(key).map((item, i) => {
      if (typeof item !== "number") this.fail(`${key}[${i}]`, `expected a number, got ${describeType(item)}`);
      if (item > max) this.fail(`${key}[${i}]`, `must be at most ${max}, got ${item}`);
      return item;
    });
  }

  /** A nested object returned as is (free-form data), nested at most `maxDepth` levels so it can be written back. */
  record(key: string, maxDepth = 64): Record<string, unknown> {
    this.object(key);
    const stack: [unknown, number][] = [[this.value[key], 1]];
    while (stack.length > 0) {
      const [v, depth] = stack.pop()!;
      if (typeof v !== "object" || v === null) continue;
      if (depth > maxDepth) this.fail(key, `nested deeper than ${maxDepth} levels`);
      for (const child of Object.values(v)) stack.push([child, depth + 1]);
    }
    return this.value[key] as Record<string, unknown>;
  }

  object(key: string): Fields {
    return Fields.of(this.required(key), this.at, this.name(key));
  }

  /** Each element of an array of objects, wrapped with its path (`key[i]`). */
  objects(key: string, options: { nonEmpty?: boolean } = {}): Fields[] {
    return this.array(key, options).map((item, i) => Fields.of(item, this.at, this.name(`${key}[${i}]`)));
  }
}

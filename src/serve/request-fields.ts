// Reading one field of a JSON request body with its type and range checked; a wrong value is a 400
// whose message names the field and says what was expected and what came.
import { badField } from "./request-error.js";

export type Body = Record<string, unknown>;

function got(v: unknown): string {
  return `got ${JSON.stringify(v)?.slice(0, 80) ?? String(v)}`;
}

export function optionalNumber(
  body: Body,
  key: string,
  dflt: number,
  { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, integer = false } = {},
): number {
  const v = body[key];
  if (v === undefined || v === null) return dflt;
  if (
    typeof v !== "number" ||
    !Number.isFinite(v) ||
    (integer && !Number.isInteger(v)) ||
    v < min ||
    v > max
  ) {
    const range = [
      min > Number.NEGATIVE_INFINITY ? `>= ${min}` : "",
      max < Number.POSITIVE_INFINITY ? `<= ${max}` : "",
    ];
    const bounds = range.filter(Boolean).join(" and ");
    throw badField(
      key,
      `expected ${integer ? "an integer" : "a number"}${bounds ? ` ${bounds}` : ""}, ${got(v)}`,
    );
  }
  return v;
}

export function optionalBoolean(body: Body, key: string, dflt: boolean): boolean {
  const v = body[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== "boolean") throw badField(key, `expected true or false, ${got(v)}`);
  return v;
}

/** `stop`: a string or a list of strings. */
export function stopStrings(body: Body): string[] {
  const v = body.stop;
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v as string[];
  throw badField("stop", `expected a string or a list of strings, ${got(v)}`);
}

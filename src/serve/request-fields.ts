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

/** `stop`: a string or a list of strings, at most `maxCount` of at most `maxChars` characters each. */
export function stopStrings(body: Body, maxCount: number, maxChars: number): string[] {
  const v = body.stop;
  if (v === undefined || v === null) return [];
  const list = typeof v === "string" ? [v] : v;
  if (!Array.isArray(list) || !list.every((s) => typeof s === "string"))
    throw badField("stop", `expected a string or a list of strings, ${got(v)}`);
  if (list.length > maxCount)
    throw badField(
      "stop",
      `${list.length} stop strings exceed the server's limit of ${maxCount} (--max-stop)`,
    );
  const long = list.find((s) => s.length > maxChars);
  if (long !== undefined)
    throw badField(
      "stop",
      `a stop string of ${long.length} characters exceeds the server's limit of ${maxChars} (--max-stop-chars)`,
    );
  return list as string[];
}

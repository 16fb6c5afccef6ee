// The input of `calign rouge --jsonl`: one {"target", "prediction"} or {"targets": [...], "prediction"}
// a line; other fields are ignored so existing prediction files can be piped in as they are.
import { DataError, type Location } from "./errors.js";
import { Fields } from "./fields.js";

export interface RougePair {
  targets: string[];
  prediction: string;
}

export function parseRougePair(value: unknown, at: Location): RougePair {
  const f = Fields.of(value, at);
  if (f.has("target") === f.has("targets")) {
    throw new DataError(at, "target", 'expected exactly one of "target" (a string) or "targets" (a list)');
  }
  const targets = f.has("target") ? [f.string("target")] : f.stringArray("targets", { nonEmpty: true });
  return { targets, prediction: f.string("prediction") };
}

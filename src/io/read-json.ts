// JSON files of a model folder, with errors that name the file.
import { existsSync, readFileSync } from "node:fs";
import { ModelFileError } from "./model-file-error.js";

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ModelFileError(
      path,
      `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(path, `not valid JSON (${(err as Error).message})`);
  }
}

export function readJsonObject(path: string): Record<string, unknown> {
  const v = readJsonFile(path);
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new ModelFileError(path, "expected a JSON object");
  return v as Record<string, unknown>;
}

export function readOptionalJsonObject(path: string): Record<string, unknown> | undefined {
  return existsSync(path) ? readJsonObject(path) : undefined;
}

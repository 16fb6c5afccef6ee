// The suite's data files live in data/tasks/ at the package root; compiled code runs from
// dist/src/tasks/, so the path is resolved three levels up from this module's URL.
import { readFileSync } from "node:fs";

export function readDataFile(relative: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../data/tasks/${relative}`, import.meta.url), "utf8"));
}

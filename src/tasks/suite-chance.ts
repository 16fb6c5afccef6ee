// The chance level of the built-in suite's tasks, for the collapse diagnostics of any report.
import type { ParaphraseGroup } from "../data/group.js";
import { listFamilies } from "./registry.js";

/**
 * The chance level of a task of the built-in suite with a fixed number of options, for groups the
 * suite made (meta.family names the task); null for any other task, whatever its name.
 */
export function suiteChance(groups: readonly ParaphraseGroup[]): (task: string) => number | null {
  return (task) => {
    const inTask = groups.filter((g) => g.task === task);
    if (inTask.length === 0 || !inTask.every((g) => g.meta?.family === task)) return null;
    const options = listFamilies().find((f) => f.name === task)?.options ?? null;
    return options === null ? null : 1 / options;
  };
}

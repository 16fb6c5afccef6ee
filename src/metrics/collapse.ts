// Collapse diagnostics per task: the figures that tell a consistent model from one that stopped reading
// its input. CR alone rewards answering the same thing whatever is asked; next to it stand the accuracy
// and what a guess would score (the majority-answer baseline, the chance level of a fixed option set),
// the input sensitivity (0 for a model that ignores its input) and CR on correct answers (consistency
// that counts only where the answers are right).
import type { ParaphraseGroup } from "../data/group.js";
import { type InputSensitivity, inputSensitivity } from "./input-sensitivity.js";
import type { ItemResult } from "./item.js";
import { majorityBaseline } from "./majority-baseline.js";
import { meanOrNull } from "./stats.js";

/** The task of a group that names none. */
export const NO_TASK = "(none)";

export const taskOf = (group: ParaphraseGroup): string => group.task ?? NO_TASK;

export interface TaskCollapse {
  task: string;
  items: number;
  /** Mean over the task's items (with references) of the mean exact-match accuracy over variants. */
  accuracy: number | null;
  /** Accuracy of always giving the task's most frequent gold answer; null without references. */
  majority: number | null;
  /** That answer (normalised). */
  majorityAnswer: string | null;
  /** 1 / number of options, for a task whose every instance offers a fixed number; else null. */
  chance: number | null;
  inputSensitivity: InputSensitivity;
  /** Mean over the task's items of their CR. */
  cr: number | null;
  /** Mean over the task's items of their CR on correct answers (see figures.ts, cr_correct). */
  crCorrect: number | null;
}

export interface CollapseMacro {
  /** Tasks averaged. */
  tasks: number;
  accuracy: number | null;
  majority: number | null;
  /** Null unless every task has a chance level. */
  chance: number | null;
  inputSensitivity: number | null;
  /** Pairs behind input sensitivity, over all tasks. */
  sensitivityPairs: number;
  cr: number | null;
  crCorrect: number | null;
}

/** Per task, and macro: the unweighted mean over tasks of each figure (tasks where it is null left out). */
export interface CollapseFigures {
  macro: CollapseMacro;
  tasks: TaskCollapse[];
}

export interface CollapseOptions {
  /** The chance level of a task (1 / its number of options), or null when its answers are open. */
  chance?: (task: string) => number | null;
}

function taskFigures(
  task: string,
  groups: readonly ParaphraseGroup[],
  items: readonly ItemResult[],
  chance: number | null,
): TaskCollapse {
  const majority = majorityBaseline(groups);
  return {
    task,
    items: groups.length,
    accuracy: meanOrNull(items.map((i) => i.quality?.mean ?? null)),
    majority: majority?.value ?? null,
    majorityAnswer: majority?.answer ?? null,
    chance,
    inputSensitivity: inputSensitivity(groups),
    cr: meanOrNull(items.map((i) => i.consistency)),
    crCorrect: meanOrNull(
      items.map((i) => (i.pairs === 0 || i.correctSimSum === null ? null : i.correctSimSum / i.pairs)),
    ),
  };
}

/**
 * The collapse diagnostics of one system's responses. `items[k]` must be groups[k]'s result under
 * exact-match quality (evaluateItems with exactMatchQuality), whose CR uses the similarity of choice.
 * Tasks come out sorted by name.
 */
export function collapseFigures(
  groups: readonly ParaphraseGroup[],
  items: readonly ItemResult[],
  options: CollapseOptions = {},
): CollapseFigures {
  if (items.length !== groups.length || items.some((it, k) => it.id !== groups[k]!.id))
    throw new RangeError("collapseFigures: items must be the groups' results, in the same order");
  const byTask = new Map<string, number[]>();
  groups.forEach((g, k) => {
    const list = byTask.get(taskOf(g)) ?? [];
    list.push(k);
    byTask.set(taskOf(g), list);
  });
  const tasks = [...byTask.keys()].sort().map((task) =>
    taskFigures(
      task,
      byTask.get(task)!.map((k) => groups[k]!),
      byTask.get(task)!.map((k) => items[k]!),
      options.chance?.(task) ?? null,
    ),
  );
  return {
    macro: {
      tasks: tasks.length,
      accuracy: meanOrNull(tasks.map((t) => t.accuracy)),
      majority: meanOrNull(tasks.map((t) => t.majority)),
      chance: tasks.every((t) => t.chance !== null) ? meanOrNull(tasks.map((t) => t.chance)) : null,
      inputSensitivity: meanOrNull(tasks.map((t) => t.inputSensitivity.value)),
      sensitivityPairs: tasks.reduce((n, t) => n + t.inputSensitivity.pairs, 0),
      cr: meanOrNull(tasks.map((t) => t.cr)),
      crCorrect: meanOrNull(tasks.map((t) => t.crCorrect)),
    },
    tasks,
  };
}

// The collapse flag: a system whose CR rose over the system it is compared with while its input
// sensitivity or its accuracy fell. Such a gain may be the model answering alike whatever it is asked,
// not the model answering alike whatever the wording, so reports put the flag where it is seen first.
import type { CollapseFigures } from "./collapse.js";

export interface Change {
  baseline: number | null;
  system: number | null;
  /** system - baseline; null when either is. */
  difference: number | null;
}

export interface CollapseFlag {
  system: string;
  baseline: string;
  /** In words, with the figures in points. */
  reason: string;
  /** Macro over tasks (CollapseFigures.macro). */
  figures: { cr: Change; accuracy: Change; inputSensitivity: Change };
  /** The tasks where CR rose while input sensitivity or accuracy fell. */
  tasks: string[];
}

const change = (baseline: number | null, system: number | null): Change => ({
  baseline,
  system,
  difference: baseline === null || system === null ? null : system - baseline,
});

/** Changes smaller than this (1 point) count as none, so rounding-size moves raise no flag. */
export const DEFAULT_MIN_CHANGE = 0.01;
const pts = (c: Change) => `${c.difference! >= 0 ? "+" : ""}${(100 * c.difference!).toFixed(1)} pts`;

/**
 * The flag for `system` against `baseline` (each with its collapse figures), or null when its CR did
 * not rise, or rose with neither input sensitivity nor accuracy falling (macro over tasks). A rise or
 * fall counts from `minChange` (default 1 point) up, in the macro figures and in each task's.
 */
export function collapseFlag(
  system: { name: string; collapse: CollapseFigures },
  baseline: { name: string; collapse: CollapseFigures },
  minChange = DEFAULT_MIN_CHANGE,
): CollapseFlag | null {
  const rose = (c: Change) => c.difference !== null && c.difference >= minChange;
  const fell = (c: Change) => c.difference !== null && c.difference <= -minChange;
  const [a, b] = [system.collapse.macro, baseline.collapse.macro];
  const figures = {
    cr: change(b.cr, a.cr),
    accuracy: change(b.accuracy, a.accuracy),
    inputSensitivity: change(b.inputSensitivity, a.inputSensitivity),
  };
  if (!rose(figures.cr) || !(fell(figures.accuracy) || fell(figures.inputSensitivity))) return null;
  const falls = [
    fell(figures.inputSensitivity) ? `input sensitivity ${pts(figures.inputSensitivity)}` : null,
    fell(figures.accuracy) ? `accuracy ${pts(figures.accuracy)}` : null,
  ].filter((x) => x !== null);
  const before = new Map(baseline.collapse.tasks.map((t) => [t.task, t]));
  const tasks = system.collapse.tasks
    .filter((t) => {
      const o = before.get(t.task);
      if (o === undefined || !rose(change(o.cr, t.cr))) return false;
      return (
        fell(change(o.accuracy, t.accuracy)) ||
        fell(change(o.inputSensitivity.value, t.inputSensitivity.value))
      );
    })
    .map((t) => t.task);
  return {
    system: system.name,
    baseline: baseline.name,
    reason: `CR ${pts(figures.cr)} over ${baseline.name} with ${falls.join(" and ")} (macro over tasks): part of the gain may be answering alike whatever the input`,
    figures,
    tasks,
  };
}

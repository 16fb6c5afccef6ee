// Learning-rate schedules as Hugging Face transformers defines them (get_*_schedule_with_warmup):
// linear warmup from 0 over `warmup` steps, then cosine or linear decay to 0 at `total`, or constant.

export type ScheduleKind = "cosine" | "linear" | "constant";

export interface Schedule {
  kind: ScheduleKind;
  peakLr: number;
  warmupSteps: number;
  totalSteps: number;
}

/** The learning rate for optimizer step `step` (0-based, as the scheduler sees it before each step). */
export function learningRate(s: Schedule, step: number): number {
  if (step < s.warmupSteps) return (s.peakLr * step) / Math.max(1, s.warmupSteps);
  if (s.kind === "constant") return s.peakLr;
  // Clamped at the end: HF's cosine would rise again past totalSteps; calign stays at 0.
  const progress = Math.min(1, (step - s.warmupSteps) / Math.max(1, s.totalSteps - s.warmupSteps));
  if (s.kind === "linear") return s.peakLr * Math.max(0, 1 - progress);
  return s.peakLr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}

// A prompt fitted into the room the model's context leaves it, checked before any memory is spent on
// it: by default a prompt that does not fit is refused, and it is cut only when the caller asks, as
// TRL's truncation_mode does (keep_start keeps its first tokens, keep_end its last).

export const TRUNCATION_MODES = ["error", "keep_start", "keep_end"] as const;
export type TruncationMode = (typeof TRUNCATION_MODES)[number];

/** The prompt's ids within `room` tokens, or null where it is longer and mode is "error" (or room < 1). */
export function fitPrompt(ids: readonly number[], room: number, mode: TruncationMode): number[] | null {
  if (ids.length <= room) return [...ids];
  if (mode === "error" || room < 1) return null;
  return mode === "keep_start" ? ids.slice(0, room) : ids.slice(ids.length - room);
}

// The check the --truncation option of generate and score governs: every prompt is fitted into
// the model's context before the first forward pass, or the command stops with an error naming the
// file, line and field (so nothing runs on positions the model never saw, and no memory is spent).
import { DataError, type Location } from "../data/errors.js";
import { fitPrompt, type TruncationMode } from "../models/index.js";

/** What else needs room in the context beside the prompt: a field and its token count. */
export interface Reserved {
  field: string;
  what: string;
  tokens: number;
}

/** The prompt's ids within the context that `reserved` leaves them, or a DataError at `at`. */
export function fitOrFail(
  ids: readonly number[],
  reserved: Reserved,
  maxPositions: number,
  mode: TruncationMode,
  at: Location,
): number[] {
  const fitted = fitPrompt(ids, maxPositions - reserved.tokens, mode);
  if (fitted !== null) return fitted;
  if (reserved.tokens >= maxPositions)
    throw new DataError(
      at,
      reserved.field,
      `${reserved.what} (${reserved.tokens} tokens) leaves no room for the prompt in the model's context of ${maxPositions} tokens`,
    );
  throw new DataError(
    at,
    "prompt",
    `${ids.length} tokens + ${reserved.what} (${reserved.tokens} tokens) exceed the model's context of ${maxPositions} tokens; shorten it or pass --truncation keep_start or keep_end`,
  );
}

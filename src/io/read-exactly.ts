// Reading exact byte ranges of model files, with errors that name the file and what was being read.
import { readSync } from "node:fs";
import { ModelFileError } from "./model-file-error.js";

/** Reads exactly `length` bytes at `position` into a fresh buffer with its own, aligned memory. */
export function readExactly(
  fd: number,
  path: string,
  position: number,
  length: number,
  what?: string,
): Buffer {
  const buf = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0)
      throw new ModelFileError(
        path,
        `file ends at byte ${position + done}, expected ${length - done} more bytes`,
        what,
      );
    done += n;
  }
  return buf;
}

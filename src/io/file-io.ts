// Small synchronous file helpers shared by the readers and writers.
import { closeSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { ModelFileError } from "./model-file-error.js";
import { tempPathBeside } from "./temp-path.js";

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

export function writeAll(fd: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.byteLength) done += writeSync(fd, data, done, data.byteLength - done);
}

/**
 * Writes a file atomically: `write` fills a temporary file in the same folder, which is flushed and
 * renamed over `path` only when complete, so readers never see a half-written model.
 */
export function writeFileAtomic(path: string, write: (fd: number) => void): void {
  const tmp = tempPathBeside(path);
  const fd = openSync(tmp, "w");
  try {
    write(fd);
    fsyncSync(fd);
    closeSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  const text = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");
  writeFileAtomic(path, (fd) => writeAll(fd, text));
}

// Outputs appear whole or not at all: everything is written to a temporary file beside the target and
// renamed over it only after the last byte is on disk; on any error the temporary file is removed.
// Two flavours: asynchronous text (data files, reports read by people) and synchronous bytes through a
// file descriptor (model files, checkpoints, JSON written from synchronous code).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { tempPathBeside } from "./temp-path.js";

export interface TextSink {
  write(text: string): Promise<void>;
}

const FLUSH_AT = 1 << 16;

/** Streams text into `path` atomically: `body` writes piece by piece, buffered. */
export async function streamTextAtomic(path: string, body: (out: TextSink) => Promise<void>): Promise<void> {
  const temp = tempPathBeside(path);
  const handle = await open(temp, "wx");
  let buffered: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (size === 0) return;
    const text = buffered.join("");
    buffered = [];
    size = 0;
    await handle.write(text);
  };
  try {
    await body({
      async write(text) {
        buffered.push(text);
        size += text.length;
        if (size >= FLUSH_AT) await flush();
      },
    });
    await flush();
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
}

/** Writes a whole text to `path` atomically. */
export function writeTextAtomic(path: string, text: string): Promise<void> {
  return streamTextAtomic(path, (out) => out.write(text));
}

export function writeAll(fd: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.byteLength) done += writeSync(fd, data, done, data.byteLength - done);
}

/**
 * Writes a file atomically and synchronously: `write` fills a temporary file in the same folder through
 * its descriptor, which is flushed and renamed over `path` only when complete, so readers never see a
 * half-written model.
 */
export function writeFileAtomicSync(path: string, write: (fd: number) => void): void {
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

/** Writes `value` as indented JSON to `path`, atomically and synchronously. */
export function writeJsonAtomicSync(path: string, value: unknown): void {
  const text = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");
  writeFileAtomicSync(path, (fd) => writeAll(fd, text));
}

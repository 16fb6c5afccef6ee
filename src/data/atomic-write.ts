// Outputs appear whole or not at all: everything is written to a temporary file beside the target and
// renamed over it only after the last byte is on disk; on any error the temporary file is removed.
import { open, rename, rm } from "node:fs/promises";
import { tempPathBeside } from "../io/temp-path.js";

export interface TextSink {
  write(text: string): Promise<void>;
}

const FLUSH_AT = 1 << 16;

export async function writeAtomic(path: string, body: (out: TextSink) => Promise<void>): Promise<void> {
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

export function writeFileAtomic(path: string, text: string): Promise<void> {
  return writeAtomic(path, (out) => out.write(text));
}

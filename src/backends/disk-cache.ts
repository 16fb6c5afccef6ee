// A disk cache of backend calls: the response to a request is stored under a hash of the request
// (endpoint and body, which names the model), so a rerun of a pipeline stage pays for no call twice.
// Each entry is written as its call completes, to a temporary file that is flushed to disk and then
// renamed, so a crash or power loss never leaves half an entry and a rerun repeats no finished call.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";

export class DiskCache {
  constructor(readonly dir: string) {}

  /** A stable key: object keys are sorted, so equal requests hash equally however they were built. */
  static key(request: unknown): string {
    return createHash("sha256").update(canonicalJson(request)).digest("hex");
  }

  /** The stored response, or undefined when there is none (or only an unreadable one, from before). */
  async get(key: string): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path(key), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    const path = this.path(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    const file = await open(temp, "w");
    try {
      await file.writeFile(JSON.stringify(value));
      await file.sync();
    } catch (err) {
      await file.close();
      await rm(temp, { force: true });
      throw err;
    }
    await file.close();
    await rename(temp, path);
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

// Shared test helpers: where the read-only fixtures live, and skip reasons when they are absent.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** ../shared/fixtures beside the repository (the compiled tests run from dist/). */
export const FIXTURES = resolve(
  process.env.CALIGN_FIXTURES ?? join(process.cwd(), "..", "shared", "fixtures"),
);

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** `false` when the fixture exists, else a message for node:test's `skip` option. */
export function skipUnlessFixture(...parts: string[]): string | false {
  const p = fixture(...parts);
  if (existsSync(p)) return false;
  // CI always has ../shared: there a missing fixture is a broken setup, never a silent skip.
  if (process.env.CI === "true") throw new Error(`CI must run the fixture tests, but ${p} is absent`);
  return `fixture ${p} is absent (set CALIGN_FIXTURES to the shared fixtures folder)`;
}

/** A fresh temporary folder, removed when the returned disposer runs. */
export function tempDir(prefix = "calign-test-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

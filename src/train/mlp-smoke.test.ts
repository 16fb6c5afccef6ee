// The smoke command end to end: the loss falls, and a run stopped by SIGINT then resumed ends with
// weights byte-identical to an uninterrupted run.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

const CLI = new URL("../../../bin/calign.js", import.meta.url).pathname;

test("calign smoke prints a falling loss", () => {
  const r = spawnSync(process.execPath, [CLI, "smoke", "--max-steps", "200", "--logging-steps", "50"], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  const windows = [...r.stdout.matchAll(/loss (\d+\.\d+)/g)].map((m) => Number(m[1]));
  const first = Number(/loss fell from (\d+\.\d+)/.exec(r.stdout)?.[1]);
  assert.equal(windows.length, 4, r.stdout);
  assert.ok((windows[3] as number) < (windows[0] as number), `loss did not fall: ${windows.join(", ")}`);
  assert.ok(
    (windows[3] as number) < first / 4,
    `loss did not fall enough from ${first}: ${windows.join(", ")}`,
  );
});

test("SIGINT checkpoints; --resume ends bit-identical to an uninterrupted run", async () => {
  const dir = mkdtempSync(join(tmpdir(), "calign-smoke-"));
  try {
    const steps = "3000";
    const full = spawnSync(
      process.execPath,
      [CLI, "smoke", "--max-steps", steps, "--output", join(dir, "full")],
      {
        encoding: "utf8",
      },
    );
    assert.equal(full.status, 0, full.stderr);

    const child = spawn(process.execPath, [
      CLI,
      "smoke",
      "--max-steps",
      steps,
      "--logging-steps",
      "10",
      "--output",
      join(dir, "cut"),
    ]);
    let out = "";
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("step") && !child.killed) child.kill("SIGINT");
      });
      child.on("close", resolve);
    });
    assert.equal(code, 130, out);
    const stoppedAt = Number(/stopped at step (\d+)/.exec(out)?.[1]);
    assert.ok(stoppedAt > 0 && stoppedAt < 3000, out);

    const resumed = spawnSync(
      process.execPath,
      [CLI, "smoke", "--max-steps", steps, "--output", join(dir, "cut"), "--resume"],
      { encoding: "utf8" },
    );
    assert.equal(resumed.status, 0, resumed.stderr);
    const a = readFileSync(join(dir, "full", "checkpoint", "model.safetensors"));
    const b = readFileSync(join(dir, "cut", "checkpoint", "model.safetensors"));
    assert.ok(a.equals(b), "resumed weights differ from the uninterrupted run");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Servers calign starts itself: `calign serve` launched from a command template on the tiny model,
// used and stopped with its process group; a server that exits early or never gets ready fails with
// its log; and no launched server outlives calign when it is interrupted or exits without closing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { tinyModelDir } from "../../test/helpers/tiny-model.js";
import { BackendSetupError } from "./backend-errors.js";
import { EmbeddedBackend } from "./embedded-backend.js";
import { launchServer } from "./launch-server.js";
import { launchHttpBackend } from "./launched-backend.js";

const BIN = fileURLToPath(new URL("../../../bin/calign.js", import.meta.url));
const LAUNCH_SERVER = fileURLToPath(new URL("./launch-server.js", import.meta.url));
const q = JSON.stringify;
/** A stand-in server: answers every request with a one-model list. */
const LIST_SERVER = `${q(process.execPath)} -e 'require("http").createServer((q, s) => s.end(JSON.stringify({ data: [{ id: "m" }] }))).listen({port})'`;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 25));
  return !groupAlive(pid);
}

test("issue 12 item 5: calign serve launched from a template answers as the embedded model and stops with close()", async (t) => {
  const tiny = tinyModelDir(7);
  t.after(() => {
    tiny.model.dispose();
    rmSync(tiny.dir, { recursive: true, force: true });
  });
  const backend = await launchHttpBackend({
    command: `${q(process.execPath)} ${q(BIN)} serve --model {model} --host {host} --port {port} --model-name launched`,
    modelPath: tiny.dir,
    env: { ...process.env, CALIGN_ENGINE_ENV: "1" },
  });
  const embedded = await EmbeddedBackend.load(tiny.dir, { device: TEST_DEVICE });
  try {
    assert.equal(backend.modelId, "launched");
    const req = { prompts: ["Hello there", "Once upon"], maxTokens: 8 };
    assert.deepEqual(
      (await backend.generate(req)).samples.map((s) => s[0]!.text),
      (await embedded.generate(req)).samples.map((s) => s[0]!.text),
    );
  } finally {
    await Promise.all([backend.close(), embedded.close()]);
  }
  // Stopped: nothing listens at its address any more.
  await assert.rejects(fetch(backend.client.url("models")), /fetch failed/);
});

test("a launched server that exits early fails with its exit and the tail of its log", async () => {
  await assert.rejects(
    launchServer({ command: "echo loading {model} on {port} >&2; exit 3", modelPath: "/models/x y" }),
    (e: Error) =>
      e instanceof BackendSetupError &&
      /exited with code 3 before it was ready; the last of its log:\nloading \/models\/x y on \d+$/.test(
        e.message,
      ),
  );
});

test("a launched server not ready in time is stopped with its group", async () => {
  const err = await launchServer({
    command: "echo group $$; sleep 60 & wait # {port}",
    modelPath: "m",
    readyTimeoutMs: 300,
  }).catch((e: Error) => e);
  assert.ok(err instanceof BackendSetupError);
  assert.match(err.message, /was not ready \(GET http:\/\/127\.0\.0\.1:\d+\/v1\/models\) within 0\.3 s/);
  // The shell and its background sleep shared the group the log names; both are gone.
  const pid = Number(/group (\d+)/.exec(err.message)![1]);
  assert.equal(groupAlive(pid), false);
  await assert.rejects(launchServer({ command: "serve {model}", modelPath: "m" }), /no \{port\} placeholder/);
});

/** A calign-like process that launches a server, prints its group id, then waits or exits. */
function launcher(then: "wait" | "exit") {
  const code = `import { launchServer } from ${q(LAUNCH_SERVER)};
const s = await launchServer({ command: ${q(LIST_SERVER)}, modelPath: "m" });
process.stdout.write(s.pid + "\\n");
${then === "exit" ? "process.exit(1);" : "setInterval(() => {}, 1000);"}`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const pid = new Promise<number>((resolve) =>
    child.stdout!.once("data", (d: Buffer) => resolve(Number(d.toString()))),
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, pid, exited };
}

test("issue 12 item 5: no launched server outlives calign on SIGTERM, SIGINT or an exit without close()", async () => {
  for (const end of ["SIGTERM", "SIGINT", "exit"] as const) {
    const l = launcher(end === "exit" ? "exit" : "wait");
    const pid = await l.pid;
    assert.ok(pid > 0);
    if (end !== "exit") l.child.kill(end);
    await l.exited;
    assert.equal(await groupGone(pid), true, `the server survived ${end}`);
  }
});

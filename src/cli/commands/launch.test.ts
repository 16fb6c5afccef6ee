// `calign launch` and torchrun starting real 2-rank jobs of `calign dist-check` over Gloo, and launch
// stopping a job whose rank fails.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { test } from "node:test";
import { NO_GLOO } from "../../../test/helpers/no-gloo.js";
import { PYTHON, torchUnavailable } from "../../../test/helpers/torch-python.js";
import { DEFAULT_MASTER_PORT, freePort } from "../../distributed/index.js";

const BIN = new URL("../../../../bin/calign.js", import.meta.url).pathname;

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** `calign launch --nproc-per-node N [--master-port P] -- dist-check ARGS` (no port: launch picks). */
function launchDistCheck(ranks: number, port: number | null, args: string[], env?: NodeJS.ProcessEnv) {
  const portFlags = port === null ? [] : ["--master-port", String(port)];
  const launch = [BIN, "launch", "--nproc-per-node", String(ranks), ...portFlags, "--", "dist-check"];
  return run(process.execPath, [...launch, ...args], env);
}

function checkResult(stdout: string): void {
  const result = JSON.parse(stdout.trim());
  assert.equal(result.worldSize, 2);
  assert.equal(result.backend, "gloo");
  assert.equal(result.correct, true);
  assert.deepEqual(
    result.ranks.map((r: { localRank: number }) => r.localRank),
    [0, 1],
  );
}

test("calign launch runs a 2-rank calign command", { skip: NO_GLOO, timeout: 60_000 }, async () => {
  const r = await launchDistCheck(2, await freePort(), ["--json", "--mib", "1", "--timeout", "30"]);
  assert.equal(r.code, 0, r.stderr);
  checkResult(r.stdout);
});

test("a 1-rank launch is checked too (one GPU's NCCL check); dist-check outside a launch is refused", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const one = await launchDistCheck(1, await freePort(), ["--json", "--backend", "gloo", "--timeout", "30"]);
  assert.equal(one.code, 0, one.stderr);
  const result = JSON.parse(one.stdout.trim());
  assert.deepEqual([result.worldSize, result.correct, result.ranks.length], [1, true, 1]);
  const alone = await run(process.execPath, [BIN, "dist-check"]);
  assert.equal(alone.code, 1);
  assert.match(alone.stderr, /not launched as a rank/);
});

test("on one node with no port named, launch gives the ranks a free port: 29500 taken is no obstacle", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  // Something (another job's store) listens on torchrun's default port; without a free port the ranks'
  // store would fail to bind. If 29500 is already in use here, that serves the same purpose.
  const blocker = createServer();
  await new Promise<void>((resolve) => {
    blocker.once("error", () => resolve());
    blocker.listen(DEFAULT_MASTER_PORT, () => resolve());
  });
  try {
    const { MASTER_PORT: _, ...env } = process.env;
    const script = "console.log(process.env.RANK + ' ' + process.env.MASTER_PORT)";
    const ports = await run(
      process.execPath,
      [BIN, "launch", "--nproc-per-node", "2", "--exec", "--", process.execPath, "-e", script],
      env,
    );
    assert.equal(ports.code, 0, ports.stderr);
    const seen = ports.stdout.trim().split("\n").sort();
    assert.equal(seen.length, 2);
    const port = seen[0]?.split(" ")[1];
    assert.deepEqual(seen, [`0 ${port}`, `1 ${port}`], "both ranks get the same port");
    assert.notEqual(Number(port), DEFAULT_MASTER_PORT);
    const r = await launchDistCheck(2, null, ["--json", "--mib", "1", "--timeout", "30"], env);
    assert.equal(r.code, 0, r.stderr);
    checkResult(r.stdout);
  } finally {
    blocker.close();
  }
});

test("a named port already in use: rank 0's store fails at once, saying so, and the launch exits 1", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const port = await freePort();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(port, () => resolve()));
  try {
    const r = await launchDistCheck(2, port, ["--timeout", "30"]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `rendezvous of rank 0 of 2 at 127\\.0\\.0\\.1:${port} \\(hosting the store\\) failed \\(gloo, timeout 30 s\\): .*Address already in use`,
      ),
    );
    assert.match(r.stderr, /calign launch: failed: rank 0 \(local rank 0\) exited with status 1/);
  } finally {
    blocker.close();
  }
});

test("when a rank fails, launch stops the others and exits 1 naming it", { timeout: 60_000 }, async () => {
  const script = "if (process.env.RANK === '1') process.exit(3); setInterval(() => {}, 1000);";
  const r = await run(process.execPath, [
    BIN,
    "launch",
    "--nproc-per-node",
    "2",
    "--exec",
    "--",
    process.execPath,
    "-e",
    script,
  ]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /calign launch: failed: rank 1 \(local rank 1\) exited with status 3/);
});

test("Ctrl-C reaches every rank, and the launch ends as they do (130), not as a failure", {
  timeout: 60_000,
}, async () => {
  const script =
    "process.on('SIGINT', () => process.exit(130)); console.log('ready'); setInterval(() => {}, 1000);";
  const child = spawn(
    process.execPath,
    [BIN, "launch", "--nproc-per-node", "2", "--exec", "--", process.execPath, "-e", script],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve) =>
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if ((stdout.match(/ready/g) ?? []).length === 2) resolve();
    }),
  );
  child.kill("SIGINT");
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  assert.equal(code, 130, stderr);
  assert.doesNotMatch(stderr, /failed/);
});

test("launch refuses bad flags and unknown commands", async () => {
  const bad = await run(process.execPath, [BIN, "launch", "--nproc-per-node", "0", "--", "dist-check"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--nproc-per-node: must be >= 1, got 0/);
  const unknown = await run(process.execPath, [BIN, "launch", "--", "nope"]);
  assert.match(unknown.stderr, /'nope' is not a calign command/);
  const noCommand = await run(process.execPath, [BIN, "launch", "--nproc-per-node", "2"]);
  assert.match(noCommand.stderr, /give the command to launch after --/);
});

test("torchrun --no_python launches calign; ranks rendezvous through its agent's store", {
  skip: NO_GLOO,
  timeout: 90_000,
}, async (t) => {
  const why = torchUnavailable();
  if (why !== null) return t.skip(why);
  const port = await freePort();
  // Debian's torchrun 1.13 on Python 3.11 needs -r 1 -t 1 (redirects and tee) to start.
  const r = await run(PYTHON, [
    "-m",
    "torch.distributed.run",
    "--no_python",
    "-r",
    "1",
    "-t",
    "1",
    "--nproc_per_node",
    "2",
    "--master_port",
    String(port),
    BIN,
    "dist-check",
    "--json",
    "--mib",
    "1",
    "--timeout",
    "30",
  ]);
  assert.equal(r.code, 0, r.stderr);
  // torchrun's tee prefixes each line with the rank ("[default0]:"); rank 0 prints the JSON.
  const line = r.stdout.split("\n").find((l) => l.includes('"worldSize"'));
  assert.ok(line, r.stdout);
  checkResult(line.slice(line.indexOf("{")));
});

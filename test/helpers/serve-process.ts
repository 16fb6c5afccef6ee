// A real `calign serve` process for tests: started on a free loopback port (or a given one), ready
// once it prints its address, stopped with SIGTERM (SIGKILL if it hangs), its exit code reported.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_DEVICE } from "./test-device.js";

const BIN = fileURLToPath(new URL("../../../bin/calign.js", import.meta.url));

export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it wrote to standard error so far. */
  stderr(): string;
  /** SIGTERM, then the exit code (SIGKILL after 10 s). */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, for restart tests. */
  kill(): Promise<void>;
}

export function startServe(modelDir: string, args: string[] = [], port = 0): Promise<ServeProcess> {
  // CALIGN_ENGINE_ENV=1: no launcher re-exec, so the pid we signal is the server itself.
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--model", modelDir, "--device", TEST_DEVICE, "--port", String(port), ...args],
    {
      env: { ...process.env, CALIGN_ENGINE_ENV: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`calign serve did not start:\n${err}`)), 20_000);
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m === null) return;
      clearTimeout(timer);
      const url = m[1]!;
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        stderr: () => err,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
          const code = await exited;
          clearTimeout(force);
          return code;
        },
        async kill() {
          child.kill("SIGKILL");
          await exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`calign serve exited with ${code} before listening:\n${err}`));
    });
  });
}

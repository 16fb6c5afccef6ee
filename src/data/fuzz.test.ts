import assert from "node:assert/strict";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import type { FuzzReport } from "../../test/fuzz/data-fuzz-worker.js";

const WORKER = new URL("../../test/fuzz/data-fuzz-worker.js", import.meta.url);
const STALL_MS = 20_000;

/** Runs the fuzz worker; a case that stalls (a reader stuck in a loop) terminates it and fails. */
function fuzz(cases: number, seed: number): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { cases, seed } });
    let lastCase = 0;
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`fuzz stalled after case ${lastCase} (a reader hangs)`));
      }, STALL_MS);
    };
    arm();
    worker.on("message", (m: { type: string; case?: number; report?: FuzzReport }) => {
      if (m.type === "progress") {
        lastCase = m.case ?? lastCase;
        arm();
      } else {
        clearTimeout(timer);
        resolve(m.report!);
        void worker.terminate();
      }
    });
    worker.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

test("fuzz: thousands of mutated records and task files end in a record or a clear DataError", async (t) => {
  const report = await fuzz(6000, 1);
  const rejected = Object.values(report.rejected).reduce((a, b) => a + b, 0);
  t.diagnostic(
    `${report.cases} cases: ${report.accepted} accepted, ${rejected} rejected with file:line: field, slowest ${report.slowestMs.toFixed(0)} ms`,
  );
  t.diagnostic(`rejections by reason: ${JSON.stringify(report.rejected)}`);
  assert.deepEqual(report.failures.slice(0, 5), []);
  assert.equal(report.accepted + rejected, report.cases);
  // Both outcomes must be common, or the mutations are not reaching the validators.
  assert.ok(report.accepted > report.cases / 10 && rejected > report.cases / 2);
});

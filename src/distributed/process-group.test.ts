// The process group over Gloo with 2 real ranks (separate processes): each collective equals its
// definition computed here from the ranks' inputs, and a lost peer is an error naming it, not a hang.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CASES, rankValue } from "../../test/helpers/dist-cases.js";
import { type RankResult, runRanks } from "../../test/helpers/dist-ranks.js";
import { NO_GLOO } from "../../test/helpers/no-gloo.js";

const WORLD = 2;

function expected(k: number, reduce: (xs: number[]) => number): number[] {
  const n = CASES[k]!.shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) =>
    reduce(Array.from({ length: WORLD }, (_, r) => rankValue(r, k, i))),
  );
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function ok(results: RankResult[]): Record<string, unknown>[] {
  for (const r of results)
    assert.equal(r.code, 0, `rank ${r.rank} exited ${r.code ?? r.signal}:\n${r.stderr}`);
  return results.map((r) => r.result!);
}

test("broadcast, bucketed all-reduce and all-gather over Gloo equal their definitions", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const outs = ok(await runRanks(WORLD, ["collectives", "30000"]));
  const floats = CASES.map((c, k) => [c, k] as const).filter(([c]) => c.dtype.startsWith("float"));
  for (const [rank, out] of outs.entries()) {
    assert.equal(out.rank, rank);
    assert.deepEqual(
      out.sumSmall,
      CASES.map((_, k) => expected(k, sum)),
      "sum, 64-byte buckets",
    );
    assert.deepEqual(
      out.sumOne,
      CASES.map((_, k) => expected(k, sum)),
      "sum, one bucket per dtype",
    );
    assert.deepEqual(
      out.max,
      CASES.map((_, k) => expected(k, (xs) => Math.max(...xs))),
      "max",
    );
    assert.deepEqual(
      out.avg,
      floats.map(([, k]) => expected(k, (xs) => sum(xs) / WORLD)),
      "avg",
    );
    assert.deepEqual(
      out.bcast,
      CASES.map((_, k) => expected(k, (xs) => xs[1]!)),
      "broadcast from rank 1",
    );
    assert.deepEqual(
      out.bytes,
      Array.from({ length: WORLD }, (_, r) => Array.from({ length: r * 5 }, (_, i) => (r * 31 + i) % 256)),
      "variable-size payloads, an empty one included",
    );
    assert.deepEqual(out.json, [
      { rank: 0, text: "é" },
      { rank: 1, text: "éé" },
    ]);
  }
});

test("a killed peer gives the survivor an error naming its rank, within the timeout", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const [survivor, victim] = await runRanks(WORLD, ["lose", "30000", "1"]);
  assert.equal(victim!.signal, "SIGKILL");
  assert.equal(survivor!.code, 0, survivor!.stderr);
  assert.match(
    String(survivor!.result!.error),
    /^allReduce on rank 0 of 2 failed \(gloo, timeout 30 s\): .*lost rank 1 /,
  );
  assert.match(
    String(survivor!.result!.after),
    /lost rank 1/,
    "the broken group refuses later calls with the same error",
  );
});

test("losing the rank that hosts the store is named too", { skip: NO_GLOO, timeout: 60_000 }, async () => {
  const [victim, survivor] = await runRanks(WORLD, ["lose", "30000", "0"]);
  assert.equal(victim!.signal, "SIGKILL");
  assert.equal(survivor!.code, 0, survivor!.stderr);
  assert.match(
    String(survivor!.result!.error),
    /^allReduce on rank 1 of 2 failed .*store at 127\.0\.0\.1:\d+ is unreachable too, so its host \(rank 0/,
  );
});

test("a peer that hangs instead of calling is named once the timeout passes", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const [survivor, victim] = await runRanks(WORLD, ["lose", "3000", "1", "hang"]);
  assert.equal(victim!.signal, "SIGKILL");
  assert.match(
    String(survivor!.result!.error),
    /^allReduce on rank 0 of 2 failed \(gloo, timeout 3 s\): .*lost rank 1 \(no word from it within 3 s/,
  );
});

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { createRng } from "../util/random.js";
import { lcsIndices, lcsLength } from "./lcs.js";

/** rouge-score's `_compute_lcs_table` and `_backtrack_norec`, transcribed over the full table. */
function tableIndices(ref: Int32Array, can: Int32Array): number[] {
  const t = Array.from({ length: ref.length + 1 }, () => new Array<number>(can.length + 1).fill(0));
  for (let i = 1; i <= ref.length; i++)
    for (let j = 1; j <= can.length; j++)
      t[i]![j] = ref[i - 1] === can[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  const out: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      out.unshift(i - 1);
      i--;
      j--;
    } else if (t[i]![j - 1]! > t[i - 1]![j]!) j--;
    else i--;
  }
  return out;
}

const randomIds = (rng: ReturnType<typeof createRng>, n: number, alphabet: number) =>
  Int32Array.from({ length: n }, () => rng.int(alphabet));

test("lcsIndices: the same LCS as rouge-score's full-table read-out, ties included", () => {
  const rng = createRng(16);
  // Small alphabets make many equally long LCSs, where the read-out's tie-break decides; sizes up to
  // 700 x 700 go through several levels of splitting, thin shapes through the one-row case.
  const shapes: [number, number][] = [
    [0, 5],
    [5, 0],
    [1, 1],
    [1, 900],
    [900, 1],
    [3, 700],
    [700, 3],
    [257, 255],
    [700, 700],
    [520, 90],
  ];
  for (let k = 0; k < 60; k++) shapes.push([1 + rng.int(400), 1 + rng.int(400)]);
  for (const [m, n] of shapes) {
    for (const alphabet of [2, 3, 8]) {
      const ref = randomIds(rng, m, alphabet);
      const can = randomIds(rng, n, alphabet);
      const got = lcsIndices(ref, can);
      assert.deepEqual(got, tableIndices(ref, can), `${m} x ${n}, alphabet ${alphabet}`);
      assert.equal(got.length, lcsLength(ref, can));
    }
  }
});

test("issue 16 item 8: ROUGE-Lsum's LCS of a 12k-token pair runs in linear memory (the table took 576 MB)", () => {
  // A fresh process, so its peak resident set is this read-out's alone.
  const lcs = new URL("./lcs.js", import.meta.url).href;
  const script = `
    import { lcsIndices, lcsLength } from ${JSON.stringify(lcs)};
    let s = 7;
    const id = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % 40;
    const a = Int32Array.from({ length: 12000 }, id);
    const b = Int32Array.from({ length: 12000 }, id);
    const n = lcsIndices(a, b).length;
    console.log(JSON.stringify({ n, length: lcsLength(a, b), maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const { n, length, maxRssMiB } = JSON.parse(r.stdout) as { n: number; length: number; maxRssMiB: number };
  assert.equal(n, length);
  assert.ok(maxRssMiB < 200, `peak RSS ${maxRssMiB} MiB`);
});

// For float32 inference on the CPU, F.rmsNorm, F.applyRotary and argmax over the last dimension run
// a plain loop and F.groupedAttention calls BLAS directly; otherwise they run ATen's ops (op-cases.ts
// checks those against PyTorch and finite differences). The fast paths must give what the ATen ops
// give: rotary and argmax exactly, the others to float32 rounding (sums accumulated in another order).
import assert from "node:assert/strict";
import { test } from "node:test";
import { enableGrad, F, Generator, noGrad, randn, type Tensor, tensor, tidy } from "./index.js";

/** f once under noGrad (the loop) and once on inputs that require grad (ATen's ops). */
function bothPaths(inputs: Tensor[], f: (xs: Tensor[]) => Tensor): { loop: number[]; aten: number[] } {
  const loop = noGrad(() => f(inputs).toArray());
  const aten = enableGrad(() => {
    const y = f(inputs.map((x) => x.clone().setRequiresGrad(true)));
    assert.ok(y.requiresGrad(), "the ATen path records a graph");
    return y.detach().toArray();
  });
  return { loop, aten };
}

function maxRelative(a: number[], b: number[]): number {
  const scale = Math.max(...b.map(Math.abs));
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]!) / scale));
}

test("rmsNorm's float32 inference loop equals ATen's ops to float32 rounding", () => {
  tidy(() => {
    const g = new Generator(11);
    for (const shape of [[1, 1, 768], [3, 5, 64], [7]]) {
      const D = shape[shape.length - 1]!;
      const x = randn(shape, g).mul(3);
      const w = randn([D], g);
      const { loop, aten } = bothPaths([x, w], ([a, b]) => F.rmsNorm(a!, b!, 1e-5));
      assert.equal(loop.length, aten.length);
      assert.ok(maxRelative(loop, aten) < 1e-6, `shape [${shape}]: ${maxRelative(loop, aten)}`);
    }
  });
});

test("applyRotary's float32 inference loop equals ATen's ops exactly, shared and per-row tables", () => {
  tidy(() => {
    const g = new Generator(12);
    const cases: [number[], number[]][] = [
      [
        [1, 12, 1, 64],
        [1, 1, 1, 64],
      ], // a decode step
      [
        [2, 4, 5, 8],
        [2, 1, 5, 8],
      ], // padded batch: a table per row
      [
        [3, 2, 4, 16],
        [1, 1, 4, 16],
      ], // one table for every row
    ];
    for (const [xs, ts] of cases) {
      const [x, cos, sin] = [randn(xs, g), randn(ts, g), randn(ts, g)];
      const { loop, aten } = bothPaths([x, cos, sin], ([a, c, s]) => F.applyRotary(a!, c!, s!));
      assert.deepEqual(loop, aten, `x [${xs}], tables [${ts}]`);
    }
  });
});

test("groupedAttention's BLAS path equals ATen's ops, on a KV cache's prefix views too", () => {
  tidy(() => {
    const g = new Generator(14);
    const cases: [number, number, number, number, number, number][] = [
      // B, nh, nkv, T, S, cache length
      [1, 12, 4, 1, 37, 64], // a decode step of the ~100M benchmark model
      [2, 8, 4, 1, 5, 9],
      [1, 4, 4, 3, 3, 3], // no grouping, a few queries, keys exactly the buffer
      [3, 6, 2, 2, 7, 10],
    ];
    for (const [B, nh, nkv, T, S, L] of cases) {
      const hd = 16;
      const q = randn([B, nh, T, hd], g);
      const k = randn([B, nkv, L, hd], g).narrow(2, 0, S);
      const v = randn([B, nkv, L, hd], g).narrow(2, 0, S);
      const { loop, aten } = bothPaths([q, k, v], ([a, b, c]) => F.groupedAttention(a!, b!, c!, null, 0.25));
      assert.equal(loop.length, B * nh * T * hd);
      assert.ok(
        maxRelative(loop, aten) < 1e-5,
        `B ${B} nh ${nh} nkv ${nkv} T ${T} S ${S}: ${maxRelative(loop, aten)}`,
      );
    }
  });
});

test("the loops leave non-contiguous and float64 inputs to ATen's ops, with the same result", () => {
  tidy(() => {
    const g = new Generator(13);
    const x = randn([1, 3, 2, 8], g, { dtype: "float64" });
    const t = randn([1, 1, 2, 8], g, { dtype: "float64" });
    const { loop, aten } = bothPaths([x, t, t], ([a, c, s]) => F.applyRotary(a!, c!, s!));
    assert.deepEqual(loop, aten);
    // (B, T, n, hd) seen as (B, n, T, hd): strided, as attention's heads are before they are copied.
    const strided = randn([1, 2, 3, 8], g).transpose(1, 2);
    const tables = randn([1, 1, 2, 8], g);
    const r = bothPaths([strided, tables, tables], ([a, c, s]) => F.applyRotary(a!, c!, s!));
    assert.deepEqual(r.loop, r.aten);
    // Keys and values broadcast along their positions (row stride 0): no leading dimension for BLAS.
    const q = randn([1, 4, 1, 8], g);
    const kv = randn([1, 2, 1, 8], g).expand(1, 2, 5, 8);
    const a = bothPaths([q, kv, kv], ([x, k, v]) => F.groupedAttention(x!, k!, v!, null, 0.5));
    assert.ok(maxRelative(a.loop, a.aten) < 1e-6);
  });
});

test("argmax's float32 loop picks what ATen's picks: the first maximum, a NaN before any number", () => {
  tidy(() => {
    const g = new Generator(17);
    const rows = [
      [1, 5, 5, 2],
      [-3, -1, -1, -7],
      [0, Number.NaN, 9, Number.NaN],
      [Number.NaN, 1, 2, 3],
      [2, 2, 2, 2],
      [-Infinity, -Infinity, 1, Infinity],
    ];
    const x = tensor(rows.flat(), [rows.length, 4]);
    // float64 (the same values exactly) and a non-contiguous view go through ATen's reduction.
    const aten = x.to("float64").argmax(-1).toArray();
    assert.deepEqual(aten, [1, 1, 1, 0, 0, 3]);
    assert.deepEqual(x.argmax(-1).toArray(), aten);
    assert.deepEqual(x.argmax(1, true).shape, [rows.length, 1]);
    const big = randn([3, 32000], g);
    assert.deepEqual(big.argmax(-1).toArray(), big.to("float64").argmax(-1).toArray());
    assert.deepEqual(
      big.transpose(0, 1).argmax(0).toArray(),
      big.transpose(0, 1).contiguous().to("float64").argmax(0).toArray(),
    );
  });
});

// The two attention paths agree: libtorch's fused scaled_dot_product_attention (libtorch >= 2.1) and the
// grouped baddbmm path (the only one on libtorch 1.13), forward and backward, for grouped heads and
// causal, padding, cache and column masks, in float32 and bfloat16. On a libtorch without the fused
// kernel, engineInfo says so and attend is the grouped path. A bfloat16 model runs padded batches.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { TINY } from "../../test/helpers/tiny-models.js";
import {
  type DType,
  enableGrad,
  engineInfo,
  F,
  Generator,
  noGrad,
  randn,
  type Tensor,
  tensor,
  tidy,
} from "../engine/index.js";
import { additiveBias, attend, attendFused, fusedAttention, groupedBias, scoreBias } from "./attention.js";
import { randomModel } from "./random-model.js";

interface Case {
  name: string;
  B: number;
  nh: number;
  nkv: number;
  /** New tokens; queries are all of them, or `columns` of them. */
  T: number;
  past: number;
  /** Row b is left-padded with b padding positions. */
  padded: boolean;
  columns?: { start: number; length: number };
}

const CASES: Case[] = [
  { name: "causal, 4 heads", B: 2, nh: 4, nkv: 4, T: 6, past: 0, padded: false },
  { name: "causal, GQA 4:2", B: 2, nh: 4, nkv: 2, T: 6, past: 0, padded: false },
  { name: "left padding, GQA 6:2", B: 3, nh: 6, nkv: 2, T: 5, past: 0, padded: true },
  { name: "3 new on 4 cached, GQA 4:1", B: 2, nh: 4, nkv: 1, T: 3, past: 4, padded: false },
  { name: "1 new on 5 cached, padding", B: 3, nh: 4, nkv: 2, T: 1, past: 5, padded: true },
  { name: "1 new on 5 cached", B: 2, nh: 4, nkv: 2, T: 1, past: 5, padded: false },
  {
    name: "columns 1..3 of 6, GQA 4:2",
    B: 2,
    nh: 4,
    nkv: 2,
    T: 6,
    past: 0,
    padded: false,
    columns: { start: 1, length: 3 },
  },
];
const HD = 8;

function paddingMask(c: Case): Tensor | null {
  if (!c.padded) return null;
  const S = c.past + c.T;
  const rows = Array.from({ length: c.B }, (_, b) => Array.from({ length: S }, (_, j) => (j < b ? 0 : 1)));
  return tensor(rows, undefined, { dtype: "int64", device: TEST_DEVICE });
}

interface Run {
  y: number[];
  grads: number[][];
}

/** One path's output and the gradients of sum(y · w) for q, k, v, from the same seeded inputs. */
function run(c: Case, dtype: DType, path: "fused" | "grouped"): Run {
  return tidy(() =>
    enableGrad(() => {
      const g = new Generator(11);
      const S = c.past + c.T;
      const Tq = c.columns?.length ?? c.T;
      const make = (shape: number[]) =>
        randn(shape, g, { device: TEST_DEVICE }).to(dtype).detach().setRequiresGrad(true);
      const q = make([c.B, c.nh, Tq, HD]);
      const k = make([c.B, c.nkv, S, HD]);
      const v = make([c.B, c.nkv, S, HD]);
      const mask = paddingMask(c);
      // Padding queries see no key: their output is never used (a model's loss skips them), and the
      // paths' gradients through such fully masked rows differ, so they get no output gradient here.
      const realQueries =
        mask === null
          ? 1
          : mask
              .narrow(1, S - c.T, c.T)
              .view(c.B, 1, c.T, 1)
              .to(dtype);
      const w = randn([c.B, c.nh, Tq, HD], g, { device: TEST_DEVICE }).to(dtype).mul(realQueries);
      let bias = additiveBias(mask, c.T, S, dtype, TEST_DEVICE);
      if (bias !== null && c.columns) bias = bias.narrow(2, c.columns.start, c.columns.length);
      const causal = mask === null && c.T === S && c.T > 1;
      const scale = 1 / Math.sqrt(HD);
      const y =
        path === "fused"
          ? attendFused(q, k, v, { bias, causal }, scale)
          : F.groupedAttention(q, k, v, bias === null ? null : groupedBias(bias, c.nkv, c.nh / c.nkv), scale);
      assert.equal(y.dtype, dtype);
      y.mul(w).sum().backward();
      return { y: y.toArray(), grads: [q, k, v].map((t) => t.grad!.toArray()) };
    }),
  );
}

/** |a - b| ≤ tol · max |b| elementwise, and no NaN. */
function assertClose(a: number[], b: number[], tol: number, what: string) {
  const scale = Math.max(...b.map(Math.abs));
  assert.ok(scale > 0, `${what}: all zero`);
  let worst = 0;
  for (const [i, x] of a.entries()) {
    assert.ok(Number.isFinite(x), `${what}[${i}] = ${x}`);
    worst = Math.max(worst, Math.abs(x - b[i]!) / scale);
  }
  assert.ok(worst <= tol, `${what}: max difference ${worst.toExponential(2)} of the largest value > ${tol}`);
}

test("engineInfo says whether the fused attention kernel is bound: libtorch 2.1 or later", () => {
  const { torchVersion, fusedAttention: has } = engineInfo();
  const [major, minor] = torchVersion.split(".").map(Number) as [number, number];
  assert.equal(has, major > 2 || (major === 2 && minor >= 1), torchVersion);
  assert.equal(fusedAttention(), has);
});

if (fusedAttention()) {
  for (const c of CASES)
    for (const [dtype, tol] of [
      ["float32", 2e-6],
      ["bfloat16", 2e-2],
    ] as const)
      test(`attention (${c.name}, ${dtype}): the fused kernel equals the grouped path, forward and backward`, () => {
        const fused = run(c, dtype, "fused");
        const grouped = run(c, dtype, "grouped");
        assertClose(fused.y, grouped.y, tol, "output");
        for (const [i, name] of ["dq", "dk", "dv"].entries())
          assertClose(fused.grads[i]!, grouped.grads[i]!, tol, name);
      });
} else {
  test("attention without the fused kernel: attend is the grouped path and the binding says why", () => {
    tidy(() => {
      const g = new Generator(3);
      const q = randn([2, 4, 5, HD], g, { device: TEST_DEVICE });
      const k = randn([2, 2, 5, HD], g, { device: TEST_DEVICE });
      const v = randn([2, 2, 5, HD], g, { device: TEST_DEVICE });
      const b = scoreBias(null, 5, 5, 2, 2, "float32", TEST_DEVICE);
      assert.deepEqual(b.bias!.shape, [1, 2 * 5, 5], "the grouped layout");
      const y = attend(q, k, v, b);
      const want = F.groupedAttention(q, k, v, b.bias, 1 / Math.sqrt(HD))
        .transpose(1, 2)
        .reshape(2, 5, 4 * HD);
      assert.deepEqual(y.toArray(), want.toArray());
      assert.throws(() => F.scaledDotProductAttention(q, k, v), /has none \(2\.1 or later does\)/);
    });
  });
}

test("a bfloat16 Llama runs a left-padded batch, its logits close to the float32 model's", () => {
  const config = TINY["llama tied, GQA"]!;
  const model32 = randomModel(config, 5, 0.3, TEST_DEVICE);
  const model16 = randomModel(config, 5, 0.3, TEST_DEVICE, "bfloat16");
  assert.equal(model16.dtype, "bfloat16");
  tidy(() => {
    const ids = tensor(
      [
        [0, 0, 5, 17, 3],
        [1, 9, 44, 2, 8],
      ],
      undefined,
      { dtype: "int64", device: TEST_DEVICE },
    );
    const attentionMask = tensor(
      [
        [0, 0, 1, 1, 1],
        [1, 1, 1, 1, 1],
      ],
      undefined,
      { dtype: "int64", device: TEST_DEVICE },
    );
    const want = noGrad(() => model32.forward(ids, { attentionMask })).toArray();
    const got = noGrad(() => model16.forward(ids, { attentionMask }).to("float32")).toArray();
    assertClose(got, want, 5e-2, "bf16 logits");
  });
});

// rowLocal: chunked row-wise functions give the plain autograd pass's values and gradients, for any
// upstream gradient, with a frozen head (Jacobian taken per chunk) and a trained one (plain chunks, or
// recomputed in backward), behind a checkpointed segment too; and a forward under grad no longer keeps
// the chunks' (B, n, V).
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import {
  autocastDtype,
  checkpoint,
  enableGrad,
  F,
  Generator,
  noGrad,
  randint,
  randn,
  rowLocal,
  type Tensor,
  tidy,
  withAutocast,
} from "./index.js";

const [B, T, C, V] = [3, 7, 5, 11];

/** A frozen or trained LM head's log-prob of each position's target, as score.ts computes it. */
function headLogprob(head: Tensor, target: Tensor) {
  return (rows: Tensor, start: number) =>
    F.linear(rows, head)
      .logSoftmax(-1)
      .gather(2, target.narrow(1, start, rows.size(1)).unsqueeze(-1))
      .squeeze(-1);
}

interface Setup {
  input: Tensor;
  head: Tensor;
  target: Tensor;
  weights: Tensor;
}

function setup(trainedHead: boolean): Setup {
  const gen = new Generator(4);
  const opts = { dtype: "float64" as const, device: TEST_DEVICE };
  return {
    input: randn([B, T, C], gen, opts).setRequiresGrad(true),
    head: randn([V, C], gen, opts).setRequiresGrad(trainedHead),
    target: randint(0, V, [B, T], gen, { device: TEST_DEVICE }),
    // A different upstream gradient for every output, as a DPO loss gives its tokens.
    weights: randn([B, T], gen, opts),
  };
}

/** Values and gradients of sum(weights · f(input)), f through rowLocal (in chunks) or plain. */
function run(s: Setup, chunk: number | null, checkpointed = false, recompute = false) {
  for (const t of [s.input, s.head]) t.grad = null;
  return tidy(() =>
    enableGrad(() => {
      const fn = headLogprob(s.head, s.target);
      const x = checkpointed ? checkpoint((h) => h.tanh(), s.input) : s.input.tanh();
      const y = chunk === null ? fn(x, 0) : rowLocal(fn, x, chunk, { recompute });
      y.mul(s.weights).sum().backward();
      return {
        values: y.toArray(),
        input: s.input.grad!.toArray(),
        head: s.head.requiresGrad() ? s.head.grad!.toArray() : [],
      };
    }),
  );
}

function assertSame(a: ReturnType<typeof run>, b: ReturnType<typeof run>) {
  for (const k of ["values", "input", "head"] as const) {
    assert.equal(a[k].length, b[k].length, k);
    for (const [i, v] of a[k].entries())
      assert.ok(Math.abs(v - b[k][i]!) < 1e-12, `${k}[${i}]: ${v} vs ${b[k][i]}`);
  }
}

for (const trainedHead of [false, true])
  test(`rowLocal (${trainedHead ? "trained" : "frozen"} head): chunked values and gradients equal the plain pass`, () => {
    const s = setup(trainedHead);
    const plain = run(s, null);
    assert.ok(Math.max(...plain.input.map(Math.abs)) > 0);
    for (const chunk of [1, 3, T])
      for (const recompute of [false, true]) assertSame(run(s, chunk, false, recompute), plain);
    assertSame(run(s, 3, true, true), run(s, null, true));
  });

test("rowLocal (trained head): the recompute in backward runs under the forward's autocast", () => {
  const s = setup(true);
  const head = headLogprob(s.head, s.target);
  const seen: (string | null)[] = [];
  const fn = (rows: Tensor, start: number) => {
    seen.push(autocastDtype());
    return head(rows, start);
  };
  tidy(() =>
    enableGrad(() => {
      // The forward under autocast, its backward after it, outside (as a model's layers would cast).
      const y = withAutocast("bfloat16", () => rowLocal(fn, s.input.tanh(), 3, { recompute: true }));
      seen.length = 0;
      y.sum().backward();
    }),
  );
  assert.deepEqual(seen, ["bfloat16", "bfloat16", "bfloat16"]);
});

test("rowLocal: without grad, the chunks' values", () => {
  const s = setup(false);
  const plain = run(s, null).values;
  const values = tidy(() =>
    noGrad(() => rowLocal(headLogprob(s.head, s.target), s.input.tanh(), 2).toArray()),
  );
  assert.deepEqual(values, plain);
});

test("rowLocal: a function that is not one value per row is refused", () => {
  const s = setup(false);
  tidy(() =>
    assert.throws(
      () => rowLocal((rows) => F.linear(rows, s.head), s.input, 2),
      /fn must map \(B, n, C\) to \(B, n\); it returned \(3, 2, 11\)/,
    ),
  );
});

test("rowLocal: a forward under grad keeps no chunk's (B, n, V), where the plain pass keeps (B, T, V)", () => {
  // 8 × 256 positions of a 50,000-word vocabulary: (B, T, V) float32 is 410 MB; a chunk of 32 columns 51 MB.
  const [b, t, c, v] = [8, 256, 16, 50_000];
  const gen = new Generator(5);
  const head = randn([v, c], gen).mul(0.1);
  const target = randint(0, v, [b, t], gen);
  const input = randn([b, t, c], gen).setRequiresGrad(true);
  const fn = headLogprob(head, target);
  /** RSS growth from before the forward to after it, with its outputs and graph still alive. */
  const retainedMb = (forward: (x: Tensor) => Tensor) =>
    tidy(() =>
      enableGrad(() => {
        const x = input.mul(1);
        const before = process.memoryUsage.rss();
        const y = forward(x);
        const grown = (process.memoryUsage.rss() - before) / 2 ** 20;
        y.sum().backward();
        assert.ok(input.grad !== null && (!head.requiresGrad() || head.grad !== null));
        input.grad = null;
        head.grad = null;
        return grown;
      }),
    );
  const full = (b * t * v * 4) / 2 ** 20;
  const plain = retainedMb((x) => fn(x, 0));
  const frozen = retainedMb((x) => rowLocal(fn, x, 32));
  head.setRequiresGrad(true);
  const recomputed = retainedMb((x) => rowLocal(fn, x, 32, { recompute: true }));
  console.log(
    `retained after the forward: plain ${plain.toFixed(0)} MB, frozen head ${frozen.toFixed(0)} MB, trained head recomputed ${recomputed.toFixed(0)} MB`,
  );
  assert.ok(
    plain > 0.9 * full,
    `the plain pass kept ${plain.toFixed(0)} MB (its log-softmax: ${full.toFixed(0)} MB)`,
  );
  for (const [name, mb] of [
    ["frozen head", frozen],
    ["trained head, recomputed", recomputed],
  ] as const)
    assert.ok(
      mb < full / 4,
      `rowLocal (${name}) kept ${mb.toFixed(0)} MB of a ${full.toFixed(0)} MB log-softmax`,
    );
  head.dispose();
  target.dispose();
  input.dispose();
});

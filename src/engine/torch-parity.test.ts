// Forward values and gradients of every op in the op table against Debian's PyTorch on the same inputs,
// in float64 (to 1e-10) and float32 (to 1e-5).
import assert from "node:assert/strict";
import { test } from "node:test";
import { caseInputs, caseTensors, isDifferentiable, OP_CASES } from "../../test/helpers/op-cases.js";
import { rng, uniform } from "../../test/helpers/random.js";
import { runPython, torchUnavailable } from "../../test/helpers/torch-python.js";
import { tensor, tidy } from "./index.js";

const SCRIPT = `
import json, sys, torch
import torch.nn.functional as F
torch.set_num_threads(1)
out = []
for c in json.load(sys.stdin):
    dt = torch.float64 if c["dtype"] == "float64" else torch.float32
    env = {"torch": torch, "F": F}
    leaves = []
    for i, (vals, shape, kind) in enumerate(c["inputs"]):
        if kind == "index":
            t = torch.tensor(vals, dtype=torch.int64).reshape(shape)
        elif kind == "mask":
            t = torch.tensor(vals, dtype=torch.bool).reshape(shape)
        else:
            t = torch.tensor(vals, dtype=dt).reshape(shape).requires_grad_(True)
            leaves.append(t)
        env["x%d" % i] = t
    y = eval(c["py"], env)
    w = torch.tensor(c["w"], dtype=dt).reshape(y.shape)
    grads = torch.autograd.grad((y * w).sum(), leaves)
    out.append({"y": y.detach().reshape(-1).tolist(), "shape": list(y.shape),
                "grads": [g.reshape(-1).tolist() for g in grads]})
print(json.dumps(out))
`;

function close(a: number[], b: number[], tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    assert.ok(Math.abs(x - y) <= tol * (1 + Math.abs(y)), `${what}[${i}]: calign ${x} vs torch ${y}`);
  }
}

for (const dtype of ["float64", "float32"] as const) {
  const tol = dtype === "float64" ? 1e-10 : 1e-5;
  test(`ops match PyTorch in ${dtype} (forward and gradient)`, (t) => {
    const why = torchUnavailable();
    if (why) {
      t.skip(why);
      return;
    }
    const ours = OP_CASES.map((c, ci) =>
      tidy(() => {
        const values = caseInputs(c, 2000 + ci);
        const xs = caseTensors(c, values, dtype, true);
        const y = c.ts(xs);
        const w = uniform(rng(ci + 7), y.numel);
        y.mul(tensor(w, y.shape, { dtype }))
          .sum()
          .backward();
        const grads = c.inputs.flatMap((spec, i) =>
          isDifferentiable(spec) ? [xs[i]?.grad?.toArray() ?? []] : [],
        );
        return { values, w, y: y.toArray(), shape: y.shape, grads };
      }),
    );
    const ref = runPython<{ y: number[]; shape: number[]; grads: number[][] }[]>(
      SCRIPT,
      OP_CASES.map((c, ci) => ({
        dtype,
        py: c.py,
        w: ours[ci]?.w,
        inputs: c.inputs.map((s, i) => [ours[ci]?.values[i], s.shape, s.as.kind]),
      })),
    );
    OP_CASES.forEach((c, ci) => {
      const o = ours[ci]!;
      const r = ref[ci]!;
      assert.deepEqual(o.shape, r.shape, `${c.name}: shape`);
      close(o.y, r.y, tol, `${c.name} forward`);
      assert.equal(o.grads.length, r.grads.length, `${c.name}: gradient count`);
      for (const [i, g] of o.grads.entries()) close(g, r.grads[i]!, tol, `${c.name} grad x${i}`);
    });
  });
}

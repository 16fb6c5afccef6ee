// Every differentiable op's autograd gradient against central finite differences, in float64.
import assert from "node:assert/strict";
import { test } from "node:test";
import { caseInputs, caseTensors, isDifferentiable, OP_CASES } from "../../test/helpers/op-cases.js";
import { rng, uniform } from "../../test/helpers/random.js";
import { noGrad, tensor, tidy } from "./index.js";

const EPS = 1e-6;

for (const [ci, c] of OP_CASES.entries()) {
  test(`gradient of ${c.name} matches finite differences`, () => {
    tidy(() => {
      const values = caseInputs(c, 1000 + ci);
      const xs = caseTensors(c, values, "float64", true);
      const out = c.ts(xs);
      const w = tensor(uniform(rng(ci), out.numel), out.shape, { dtype: "float64" });
      out.mul(w).sum().backward();
      const lossAt = (vals: number[][]): number =>
        tidy(() =>
          noGrad(() =>
            c
              .ts(caseTensors(c, vals, "float64", false))
              .mul(w)
              .sum()
              .item(),
          ),
        );
      let checked = 0;
      c.inputs.forEach((spec, i) => {
        if (!isDifferentiable(spec)) return;
        const grad = xs[i]?.grad;
        assert.ok(grad, `input ${i} has no gradient`);
        const analytic = grad.toArray();
        const v = values[i] as number[];
        for (let k = 0; k < v.length; k++) {
          const plus = values.map((a) => [...a]);
          const minus = values.map((a) => [...a]);
          (plus[i] as number[])[k] = (v[k] as number) + EPS;
          (minus[i] as number[])[k] = (v[k] as number) - EPS;
          const numeric = (lossAt(plus) - lossAt(minus)) / (2 * EPS);
          const a = analytic[k] as number;
          assert.ok(
            Math.abs(a - numeric) <= 1e-6 + 1e-5 * Math.abs(numeric),
            `${c.name}: d/dx${i}[${k}] autograd ${a} vs numeric ${numeric}`,
          );
          checked++;
        }
      });
      assert.ok(checked > 0, "no differentiable input checked");
    });
  });
}

// The dtype check models load behind: it accepts what the CPU multiplies in and refuses, naming dtype,
// device and libtorch, what it does not (Debian's libtorch 1.13: float16).
import assert from "node:assert/strict";
import { test } from "node:test";
import { linear } from "./functional.js";
import { checkMatmulDtype, DeviceError, engineInfo, tidy, zeros } from "./index.js";

test("float32 and bfloat16 linear layers run on the CPU, so the check accepts them", () => {
  for (const dtype of ["float32", "bfloat16"] as const) {
    checkMatmulDtype(dtype, "cpu");
    const y = tidy(() => linear(zeros([2, 3], { dtype }), zeros([4, 3], { dtype })).shape);
    assert.deepEqual(y, [2, 4]);
  }
});

test("float16 on the CPU: refused exactly when libtorch's own linear fails there (always on 1.13)", () => {
  let libtorchError: unknown = null;
  try {
    tidy(() => linear(zeros([2, 3], { dtype: "float16" }), zeros([4, 3], { dtype: "float16" })));
  } catch (err) {
    libtorchError = err;
  }
  const { torchVersion } = engineInfo();
  if (torchVersion.startsWith("1.13"))
    assert.ok(libtorchError !== null, "libtorch 1.13 has no CPU float16 addmm");
  if (libtorchError === null) return checkMatmulDtype("float16", "cpu");
  assert.throws(
    () => checkMatmulDtype("float16", "cpu"),
    (err: unknown) =>
      err instanceof DeviceError &&
      err.message ===
        `dtype float16 on cpu: this calign's libtorch (${torchVersion}) has no float16 matrix product there; use bfloat16 or float32`,
  );
});

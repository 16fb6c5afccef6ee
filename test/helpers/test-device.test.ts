// CALIGN_TEST_DEVICE is honoured: the device-generic tests run where it says, and a device this
// libtorch cannot run them on stops them at once with the engine's error instead of a CPU run.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { engineInfo } from "../../src/engine/index.js";

const HELPER = new URL("./test-device.js", import.meta.url).href;

/** What a test file importing the helper sees with CALIGN_TEST_DEVICE=value. */
function importWith(value: string | undefined) {
  const env = { ...process.env };
  if (value === undefined) delete env.CALIGN_TEST_DEVICE;
  else env.CALIGN_TEST_DEVICE = value;
  const script = `const h = await import(${JSON.stringify(HELPER)}); console.log(h.TEST_DEVICE, h.tolerance(1e-6));`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
}

test("CALIGN_TEST_DEVICE: cpu by default; a device the tests cannot use stops them with the engine's error", () => {
  for (const value of [undefined, "cpu"]) {
    const r = importWith(value);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "cpu 0.000001\n", `CALIGN_TEST_DEVICE=${value}`);
  }
  const meta = importWith("meta");
  assert.notEqual(meta.status, 0);
  assert.match(meta.stderr, /device 'meta' is not one of auto \| cpu \| cuda \| cuda:N/);
  const cuda = importWith("cuda");
  if (engineInfo().cudaAvailable) {
    assert.equal(cuda.status, 0, cuda.stderr);
    assert.equal(cuda.stdout, "cuda:0 0.0001\n");
  } else {
    assert.notEqual(cuda.status, 0);
    assert.match(cuda.stderr, /DeviceError: device 'cuda': this calign's libtorch \(.*\) has no CUDA/);
  }
});

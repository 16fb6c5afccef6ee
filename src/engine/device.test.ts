// resolveDevice against the libtorch this test runs on: auto follows engineInfo, and a GPU that is
// not there is an error naming the device, never a silent CPU run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkDevice, resolveDevice } from "./device.js";
import { engineInfo } from "./runtime.js";

test("resolveDevice: auto, cpu, cuda and bad names", () => {
  const { cudaAvailable, cudaDeviceCount } = engineInfo();
  const gpu = cudaAvailable && cudaDeviceCount > 0;
  assert.equal(resolveDevice("auto"), gpu ? "cuda:0" : "cpu");
  assert.equal(resolveDevice("cpu"), "cpu");
  if (gpu) {
    assert.equal(resolveDevice("cuda"), "cuda:0");
    assert.throws(() => resolveDevice(`cuda:${cudaDeviceCount}`), /only \d+ GPU/);
  } else {
    assert.throws(() => resolveDevice("cuda"), /device 'cuda': .*no CUDA/);
    assert.throws(() => resolveDevice("cuda:1"), /device 'cuda:1'/);
  }
  for (const bad of ["gpu", "cuda:", "cuda:x", "CPU", ""])
    assert.throws(() => resolveDevice(bad), new RegExp(`device '${bad}' is not one of`));
});

test("checkDevice: auto left for later, every other name checked as resolveDevice does", () => {
  assert.equal(checkDevice("auto"), "auto");
  assert.equal(checkDevice("cpu"), "cpu");
  assert.throws(() => checkDevice("gpu"), /device 'gpu' is not one of/);
  if (!engineInfo().cudaAvailable) assert.throws(() => checkDevice("cuda"), /device 'cuda': .*no CUDA/);
});

test("resolveDevice: auto and a bare cuda take the local rank's GPU; cuda:N is taken as written", () => {
  const { cudaAvailable, cudaDeviceCount } = engineInfo();
  if (cudaAvailable && cudaDeviceCount > 0) {
    const last = cudaDeviceCount - 1;
    assert.equal(resolveDevice("auto", last), `cuda:${last}`);
    assert.equal(resolveDevice("cuda", last), `cuda:${last}`);
    assert.equal(resolveDevice("cuda:0", last), "cuda:0");
    assert.throws(() => resolveDevice("auto", cudaDeviceCount), /on local rank \d+: only \d+ GPU/);
  } else {
    // Without a GPU every rank runs on the CPU, and asking for one is still refused.
    assert.equal(resolveDevice("auto", 1), "cpu");
    assert.throws(() => resolveDevice("cuda", 1), /no CUDA/);
  }
});

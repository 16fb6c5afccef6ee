// resolveDevice against the libtorch this test runs on: auto follows engineInfo, and a GPU that is
// not there is an error naming the device, never a silent CPU run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveDevice } from "./device.js";
import { engineInfo } from "./runtime.js";

test("resolveDevice: auto, cpu, cuda and bad names", () => {
  const { cudaAvailable, cudaDeviceCount, cudaVersion } = engineInfo();
  const gpu = cudaAvailable && cudaDeviceCount > 0;
  assert.equal(resolveDevice("auto"), gpu ? "cuda:0" : "cpu");
  assert.equal(resolveDevice("cpu"), "cpu");
  if (gpu) {
    assert.equal(resolveDevice("cuda"), "cuda:0");
    assert.throws(() => resolveDevice(`cuda:${cudaDeviceCount}`), /only \d+ GPU/);
  } else {
    const why = cudaVersion === "none" ? /has no CUDA \(a CPU-only build\)/ : /sees no GPU/;
    assert.throws(() => resolveDevice("cuda"), new RegExp(`device 'cuda': .*${why.source}`));
    assert.throws(() => resolveDevice("cuda:1"), /device 'cuda:1'/);
  }
  for (const bad of ["gpu", "cuda:", "cuda:x", "CPU", ""])
    assert.throws(() => resolveDevice(bad), new RegExp(`device '${bad}' is not one of`));
});

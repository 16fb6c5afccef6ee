// resolveDevice against the libtorch this test runs on: auto follows engineInfo, and a GPU that is
// not there is an error naming the device, never a silent CPU run. Peak GPU memory (training metrics).
import assert from "node:assert/strict";
import { test } from "node:test";
import { TEST_DEVICE } from "../../test/helpers/test-device.js";
import { checkDevice, resolveDevice } from "./device.js";
import { engineInfo, peakDeviceMemory } from "./runtime.js";
import { zeros } from "./tensor.js";

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

test("peakDeviceMemory: none on the CPU; on a GPU, at least a tensor allocated there since the reset", () => {
  assert.equal(peakDeviceMemory("cpu", true), null);
  if (!TEST_DEVICE.startsWith("cuda")) return;
  const [major, minor] = engineInfo().torchVersion.split(".").map(Number) as [number, number];
  peakDeviceMemory(TEST_DEVICE, true);
  const t = zeros([1 << 20], { device: TEST_DEVICE });
  const peak = peakDeviceMemory(TEST_DEVICE, false);
  t.dispose();
  if (major < 2 || (major === 2 && minor < 9)) assert.equal(peak, null, "no allocator statistics before 2.9");
  else assert.ok(peak !== null && peak >= 4 * (1 << 20), `peak ${peak}`);
});

// rankDevice reads the launcher's variables only for the names that depend on them (auto, a bare cuda).
import assert from "node:assert/strict";
import { test } from "node:test";
import { engineInfo } from "../engine/index.js";
import { rankDevice } from "./rank-device.js";

test("rankDevice: cpu and cuda:N ignore the launch; auto follows the rank's local rank", () => {
  const saved = process.env.RANK;
  process.env.RANK = "not a rank";
  try {
    assert.equal(rankDevice("cpu"), "cpu");
    assert.throws(() => rankDevice("auto"), /RANK='not a rank'/);
  } finally {
    if (saved === undefined) delete process.env.RANK;
    else process.env.RANK = saved;
  }
  const second = {
    rank: 1,
    worldSize: 2,
    localRank: 1,
    masterAddr: "127.0.0.1",
    masterPort: 1,
    hostStore: false,
  };
  const { cudaAvailable, cudaDeviceCount } = engineInfo();
  if (cudaAvailable && cudaDeviceCount > 1) assert.equal(rankDevice("auto", second), "cuda:1");
  else if (!cudaAvailable) assert.equal(rankDevice("auto", second), "cpu");
  assert.equal(rankDevice("auto", null), cudaAvailable && cudaDeviceCount > 0 ? "cuda:0" : "cpu");
});

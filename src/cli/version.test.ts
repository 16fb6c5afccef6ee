// calign --version: the package version, then the libtorch the engine runs on and whether it has CUDA.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { engineInfo } from "../engine/index.js";
import { VERSION } from "../util/version.js";

const BIN = fileURLToPath(new URL("../../../bin/calign.js", import.meta.url));

test("calign --version names the libtorch version and its CUDA", () => {
  const r = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const { torchVersion, cudaAvailable, cudaDeviceCount } = engineInfo();
  const cuda = cudaAvailable ? `CUDA, ${cudaDeviceCount} GPU(s)` : "no CUDA (CPU only)";
  assert.equal(r.stdout, `${VERSION}\nlibtorch ${torchVersion}, ${cuda}\n`);
});

// calign --version: the package version, then the libtorch the engine runs on, the CUDA it was built
// with and the GPUs it sees, and whether attention runs on libtorch's fused kernel.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { engineInfo } from "../engine/index.js";
import { VERSION } from "../util/version.js";

const BIN = fileURLToPath(new URL("../../../bin/calign.js", import.meta.url));

test("engineInfo: a CUDA version only with CUDA built in, one name per visible GPU", () => {
  const { cudaVersion, cudaAvailable, cudaDeviceCount, gpuNames } = engineInfo();
  assert.match(cudaVersion, /^(none|\d+\.\d+)$/);
  if (cudaVersion === "none") assert.equal(cudaAvailable, false);
  assert.equal(gpuNames.length, cudaDeviceCount);
  for (const name of gpuNames) assert.ok(name.length > 0);
});

test("calign --version names the libtorch, its CUDA and GPUs, and the attention path", () => {
  const r = spawnSync(process.execPath, [BIN, "--version"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const { torchVersion, cudaVersion, gpuNames, fusedAttention } = engineInfo();
  const [version, engine, ...rest] = r.stdout.split("\n");
  assert.equal(version, VERSION);
  assert.deepEqual(rest, [""]);
  assert.ok(engine!.startsWith(`libtorch ${torchVersion}, `), engine);
  if (cudaVersion === "none") assert.match(engine!, /, no CUDA \(CPU only\), /);
  else assert.ok(engine!.includes(`CUDA ${cudaVersion}, `), engine);
  for (const name of gpuNames) assert.ok(engine!.includes(name), `${name} in ${engine}`);
  assert.match(
    engine!,
    fusedAttention ? /, fused attention \(scaled_dot_product_attention\)$/ : /, grouped attention/,
  );
});

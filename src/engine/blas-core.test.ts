// The OpenBLAS kernel calign asks for (scripts/engine-env.mjs): chosen from the CPU's features, since
// OpenBLAS 0.3.21 runs CPU models newer than its table on its slowest kernel; a user's choice wins; and
// a program that imports the engine without the launcher gets it too, as OpenBLAS itself reports.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const { openblasCoreType, withBlasCore } = (await import(
  new URL("../../../scripts/engine-env.mjs", import.meta.url).href
)) as {
  openblasCoreType(cpuinfo: string): string | undefined;
  withBlasCore(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
};

const cpu = (vendor: string, flags: string) =>
  `processor\t: 0\nvendor_id\t: ${vendor}\nflags\t\t: ${flags}\n\n`;
const SSE =
  "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2";
const AVX2 = `${SSE} ssse3 sse4_1 sse4_2 popcnt avx f16c avx2 fma bmi1 bmi2`;
const AVX512 = `${AVX2} avx512f avx512dq avx512cd avx512bw avx512vl`;

test("openblasCoreType: the kernel follows the CPU's features, not its model number", () => {
  // An Intel Xeon of model 207 (this project's CI machine): AVX-512 with bf16 and AMX.
  assert.equal(openblasCoreType(cpu("GenuineIntel", `${AVX512} avx512_bf16 amx_bf16 amx_tile`)), "SkylakeX");
  assert.equal(openblasCoreType(cpu("AuthenticAMD", `${AVX512} avx512_bf16`)), "SkylakeX"); // Zen 4
  assert.equal(openblasCoreType(cpu("GenuineIntel", AVX2)), "Haswell");
  assert.equal(openblasCoreType(cpu("AuthenticAMD", AVX2)), "Zen");
  // Part of AVX-512 is not enough for SkylakeX's kernels.
  assert.equal(openblasCoreType(cpu("GenuineIntel", `${AVX2} avx512f avx512cd`)), "Haswell");
  // No AVX2, another vendor, no flags line (ARM's cpuinfo says "Features"): OpenBLAS decides.
  assert.equal(openblasCoreType(cpu("GenuineIntel", `${SSE} avx`)), undefined);
  assert.equal(openblasCoreType(cpu("HygonGenuine", AVX2)), undefined);
  assert.equal(openblasCoreType("processor\t: 0\nFeatures\t: fp asimd evtstrm\n"), undefined);
});

test("withBlasCore: a kernel the user set is kept", () => {
  assert.equal(withBlasCore({ OPENBLAS_CORETYPE: "Haswell" }).OPENBLAS_CORETYPE, "Haswell");
});

/** The kernel OpenBLAS reports in a fresh Node process that imports the engine with `env`. */
function loadedCore(env: NodeJS.ProcessEnv): string {
  const script = `const { engineInfo } = await import(${JSON.stringify(new URL("./index.js", import.meta.url).href)});
process.stdout.write(engineInfo().blasCore);`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("the engine loads OpenBLAS with that kernel without the launcher, and with the user's when set", (t) => {
  if (process.arch !== "x64") return t.skip("OpenBLAS's kernel names here are x86-64's");
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.CALIGN_ENGINE_ENV;
  const chosen = loadedCore(env);
  if (chosen === "") return t.skip("libtorch's BLAS is not OpenBLAS here");
  const expected = openblasCoreType(readFileSync("/proc/cpuinfo", "utf8"));
  if (expected !== undefined) assert.equal(chosen, expected);
  assert.equal(loadedCore({ ...env, OPENBLAS_CORETYPE: "Haswell" }), "Haswell");
});

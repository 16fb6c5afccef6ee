// Which devices the demo trains in bf16 on: /proc/cpuinfo's flags line decides for a CPU.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { computesBf16Natively, cpuinfoHasBf16 } from "./native-bf16.js";

const cpuinfo = (flags: string) =>
  `processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\nflags\t\t: ${flags}\nbugs\t\t: sysret_ss_attrs\n\nprocessor\t: 1\nflags\t\t: ${flags}\n`;

test("cpuinfoHasBf16: avx512_bf16 or amx_bf16 in the flags line, nothing else", () => {
  assert.equal(cpuinfoHasBf16(cpuinfo("fpu sse2 avx2 avx512f avx512bw avx512_bf16 avx512vbmi")), true);
  assert.equal(cpuinfoHasBf16(cpuinfo("fpu avx2 avx512f amx_bf16 amx_tile amx_int8")), true);
  // AVX-512 without the bf16 dot product (bf16 there was slower than float32), and AVX2 only.
  assert.equal(cpuinfoHasBf16(cpuinfo("fpu avx2 avx512f avx512bw avx512vl avx512_vnni")), false);
  assert.equal(cpuinfoHasBf16(cpuinfo("fpu sse4_2 avx avx2 fma")), false);
  // Only whole flags of the flags line count.
  assert.equal(cpuinfoHasBf16(cpuinfo("fpu avx2 xavx512_bf16")), false);
  assert.equal(cpuinfoHasBf16("model name\t: avx512_bf16 box\nflags\t\t: fpu avx2\n"), false);
  assert.equal(cpuinfoHasBf16(""), false);
});

test("computesBf16Natively: GPUs do; the CPU as lscpu's flags say", () => {
  assert.equal(computesBf16Natively("cuda:0"), true);
  // util-linux's lscpu (Debian: essential) reads the same flags independently of the parser above.
  const flags =
    /^Flags:\s*(.*)$/m.exec(
      execFileSync("lscpu", { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } }),
    )?.[1] ?? "";
  const expected = flags.split(/\s+/).some((f) => f === "avx512_bf16" || f === "amx_bf16");
  assert.equal(computesBf16Natively("cpu"), expected);
});

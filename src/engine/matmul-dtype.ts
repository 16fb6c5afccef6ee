// Whether this libtorch multiplies matrices in a dtype on a device. Debian's 1.13 has no float16 matrix
// product on the CPU ("addmm_impl_cpu_" not implemented for 'Half'), so a float16 model there would stop
// at its first layer with libtorch's internal message; loading refuses it first, naming the dtype.
import { DeviceError } from "./device.js";
import type { DType } from "./dtype.js";
import { linear } from "./functional.js";
import { engineInfo } from "./runtime.js";
import { tidy } from "./scope.js";
import { zeros } from "./tensor.js";

const probed = new Map<string, boolean>();

/** Throws a DeviceError when a linear layer in dtype cannot run on device (a resolved name). */
export function checkMatmulDtype(dtype: DType, device: string): void {
  if (dtype === "float32" || dtype === "float64") return;
  const key = `${dtype} ${device}`;
  let works = probed.get(key);
  if (works === undefined) {
    try {
      tidy(() => linear(zeros([2, 2], { dtype, device }), zeros([2, 2], { dtype, device })));
      works = true;
    } catch {
      works = false;
    }
    probed.set(key, works);
  }
  if (!works)
    throw new DeviceError(
      `dtype ${dtype} on ${device}: this calign's libtorch (${engineInfo().torchVersion}) has no ${dtype} matrix product there; use ${dtype === "float16" ? "bfloat16 or " : ""}float32`,
    );
}

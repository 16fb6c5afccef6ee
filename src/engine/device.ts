// The device a model runs on, from what a user may write: auto | cpu | cuda | cuda:N. "auto" is the
// first GPU when this libtorch has CUDA and sees one, else the CPU; asking for a GPU this build or
// machine does not have is an error naming what is missing (never a silent CPU run).
import { engineInfo } from "./runtime.js";

export const DEVICE_CHOICES = "auto | cpu | cuda | cuda:N";

/** A device this libtorch or machine does not have: the user's to fix (the CLI prints it, no stack). */
export class DeviceError extends Error {
  override name = "DeviceError";
}

/** The device name checked and resolved; only auto and cuda ask the engine (loading libtorch). */
export function resolveDevice(name: string): string {
  if (name === "cpu") return "cpu";
  const m = /^cuda(?::(\d+))?$/.exec(name);
  if (m === null && name !== "auto")
    throw new DeviceError(`device '${name}' is not one of ${DEVICE_CHOICES}`);
  const { cudaAvailable, cudaDeviceCount, cudaVersion, torchVersion } = engineInfo();
  if (m === null) return cudaAvailable && cudaDeviceCount > 0 ? "cuda:0" : "cpu";
  if (cudaVersion === "none")
    throw new DeviceError(
      `device '${name}': this calign's libtorch (${torchVersion}) has no CUDA (a CPU-only build); build the addon against a CUDA libtorch (README, "On a GPU") or use --device cpu`,
    );
  if (!cudaAvailable)
    throw new DeviceError(
      `device '${name}': this calign's libtorch (${torchVersion}, CUDA ${cudaVersion}) sees no GPU; check the driver and CUDA_VISIBLE_DEVICES, or use --device cpu`,
    );
  const index = Number(m[1] ?? 0);
  if (index >= cudaDeviceCount)
    throw new DeviceError(
      `device '${name}': only ${cudaDeviceCount} GPU(s) visible (cuda:0 .. cuda:${cudaDeviceCount - 1})`,
    );
  return `cuda:${index}`;
}

// The device a model runs on, from what a user may write: auto | cpu | cuda | cuda:N. "auto" is this
// process's GPU when this libtorch has CUDA and sees one, else the CPU; asking for a GPU this build or
// machine does not have is an error naming what is missing (never a silent CPU run). A process's GPU is
// the one its local rank names (0 outside a launch), as torch.cuda.set_device(LOCAL_RANK) makes it.
import { engineInfo } from "./runtime.js";

export const DEVICE_CHOICES = "auto | cpu | cuda | cuda:N";

/** A device this libtorch or machine does not have: the user's to fix (the CLI prints it, no stack). */
export class DeviceError extends Error {
  override name = "DeviceError";
}

/**
 * The device name checked and resolved; only auto and cuda ask the engine (loading libtorch). `auto` and
 * a bare `cuda` mean the GPU of this process's local rank; `cuda:N` is taken as written.
 */
export function resolveDevice(name: string, localRank = 0): string {
  if (name === "cpu") return "cpu";
  const m = /^cuda(?::(\d+))?$/.exec(name);
  if (m === null && name !== "auto")
    throw new DeviceError(`device '${name}' is not one of ${DEVICE_CHOICES}`);
  const { cudaAvailable, cudaDeviceCount, cudaVersion, torchVersion } = engineInfo();
  if (m === null && !(cudaAvailable && cudaDeviceCount > 0)) return "cpu";
  if (cudaVersion === "none")
    throw new DeviceError(
      `device '${name}': this calign's libtorch (${torchVersion}) has no CUDA (a CPU-only build); build the addon against a CUDA libtorch (README, "On a GPU") or use --device cpu`,
    );
  if (!cudaAvailable)
    throw new DeviceError(
      `device '${name}': this calign's libtorch (${torchVersion}, CUDA ${cudaVersion}) sees no GPU; check the driver and CUDA_VISIBLE_DEVICES, or use --device cpu`,
    );
  const index = m?.[1] === undefined ? localRank : Number(m[1]);
  if (index >= cudaDeviceCount)
    throw new DeviceError(
      `device '${name}'${m?.[1] === undefined ? ` on local rank ${localRank}` : ""}: only ${cudaDeviceCount} GPU(s) visible (cuda:0 .. cuda:${cudaDeviceCount - 1})`,
    );
  return `cuda:${index}`;
}

/**
 * The device name checked now, "auto" left for where the model loads (a worker thread) to resolve:
 * a command that may not load a model at all (a stage calling a server) then never loads libtorch.
 */
export function checkDevice(name: string): string {
  return name === "auto" ? name : resolveDevice(name);
}

// The device the device-generic tests run on: CALIGN_TEST_DEVICE (default "cpu"), so the same suite
// runs on "cuda" on a GPU machine (bench/gpu/run.sh) and on the CPU in CI. Resolved as --device is
// ("cuda" → "cuda:0", the name tensors report), and an error where this libtorch has no such device.
import { resolveDevice } from "../../src/engine/index.js";

export const TEST_DEVICE = resolveDevice(process.env.CALIGN_TEST_DEVICE ?? "cpu");

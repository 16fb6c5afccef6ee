// The device the device-generic tests run on: CALIGN_TEST_DEVICE (default "cpu"), so the same suite
// runs on "cuda" on a GPU machine (bench/gpu/run.sh) and on the CPU in CI.
export const TEST_DEVICE = process.env.CALIGN_TEST_DEVICE ?? "cpu";

// The engine's public surface: tensors, scopes, autograd modes, nn functions, optimizers.
export { autocastDtype, withAutocast } from "./autocast.js";
export { checkpoint } from "./checkpoint.js";
export {
  type CollectiveBackend,
  CollectiveGroup,
  collectiveBackends,
  type GroupOptions,
  type ReduceOp,
} from "./collectives.js";
export { checkDevice, DEVICE_CHOICES, DeviceError, resolveDevice } from "./device.js";
export type { AnyTypedArray, DType } from "./dtype.js";
export * as F from "./functional.js";
export { enableGrad, isGradEnabled, noGrad } from "./grad-mode.js";
export { checkMatmulDtype } from "./matmul-dtype.js";
export { computesBf16Natively } from "./native-bf16.js";
export { AdamW, type AdamWGroup, clipGradNorm, SGD, type SGDGroup } from "./optim.js";
export { type RowLocalOptions, rowLocal } from "./row-local.js";
export { engineInfo, peakDeviceMemory, setNumThreads } from "./runtime.js";
export { dispose, keep, tidy } from "./scope.js";
export {
  arange,
  type CreateOptions,
  cat,
  full,
  Generator,
  liveTensors,
  ones,
  rand,
  randint,
  randn,
  stack,
  Tensor,
  tensor,
  tensorFromFile,
  where,
  withDefaultDevice,
  zeros,
} from "./tensor.js";

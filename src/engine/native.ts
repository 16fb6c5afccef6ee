// Loads the libtorch addon and describes its raw interface. Only engine/ imports this file.
import { createRequire } from "node:module";

/** The addon's tensor handle (an opaque External); engine/tensor.ts wraps it. */
export interface NativeTensor {
  readonly __nativeTensor: unique symbol;
}

export interface NativeGenerator {
  getState(): Uint8Array;
  setState(state: Uint8Array): void;
  seed(seed: number): void;
}

export interface NativeOptimizer {
  step(): void;
  zeroGrad(): void;
  setLr(group: number, lr: number): void;
  getLr(group: number): number;
  saveState(): Uint8Array;
  loadState(state: Uint8Array): void;
}

/** An opaque c10d process group (see native/src/distributed.cc); engine/collectives.ts wraps it. */
export interface NativeGroup {
  readonly __nativeGroup: unique symbol;
}

export interface NativeGroupOptions {
  rank: number;
  worldSize: number;
  masterAddr: string;
  masterPort: number;
  /** Limit on the rendezvous and on every collective; a dead peer becomes an error after it. */
  timeoutMs: number;
  /** This rank starts the TCPStore server (rank 0 unless a launcher's agent hosts the store). */
  hostStore: boolean;
  /** Key prefix inside an agent-hosted store (torchrun: `/worker/attempt_<restart count>`). */
  prefix?: string;
  backend: string;
  /** The GPU (cuda:N) through which an NCCL group moves byte payloads and barriers; ignored by Gloo. */
  deviceIndex: number;
}

type T = NativeTensor;
type G = NativeGenerator | null;
type Num = T | number;

export const UNARY_OPS = [
  "neg",
  "exp",
  "log",
  "log1p",
  "sqrt",
  "rsqrt",
  "abs",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "logSigmoid",
  "relu",
  "silu",
  "square",
  "reciprocal",
  "erf",
  "floor",
  "sign",
  "logicalNot",
  "isfinite",
  "isnan",
  "contiguous",
  "clone",
  "detach",
  "all",
  "any",
  "zero_",
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = "add" | "sub" | "mul" | "div" | "pow" | "eq" | "ne" | "lt" | "le" | "gt" | "ge";
export type TensorPairOp = "maximum" | "minimum" | "logicalAnd" | "logicalOr" | "matmul" | "bmm" | "copy_";

/** Every function the addon exports (see native/src/*.cc for each one's libtorch counterpart). */
export interface NativeAddon
  extends Record<UnaryOp, (x: T) => T>,
    Record<BinaryOp, (a: T, b: Num) => T>,
    Record<TensorPairOp, (a: T, b: T) => T> {
  dispose(x: T): void;
  isDisposed(x: T): boolean;
  shape(x: T): number[];
  dtype(x: T): string;
  device(x: T): string;
  numel(x: T): number;
  requiresGrad(x: T): boolean;
  Generator: new (seed: number) => NativeGenerator;
  Optimizer: new (kind: string, groups: object[]) => NativeOptimizer;
  liveTensors(): number;
  numThreads(n?: number): number;
  info(): {
    torchVersion: string;
    cudaAvailable: boolean;
    cudaDeviceCount: number;
    parallelInfo: string;
    fusedAttention: boolean;
    /** The kernel OpenBLAS chose ("SkylakeX"), or "" where libtorch's BLAS is another (MKL). */
    blasCore: string;
  };
  cudaInfo(): { cudaVersion: string; gpuNames: string[] };
  cudaPeakAllocated(deviceIndex: number, reset: boolean): number | null;
  manualSeed(seed: number): void;
  fromArray(data: ArrayBufferView | ArrayBuffer, dtype: string, shape: number[], device?: string): T;
  fromFile(
    path: string,
    offset: number,
    byteLength: number,
    dtype: string,
    shape: number[],
    device?: string,
  ): T;
  toArray(t: T): ArrayBuffer;
  item(t: T): number;
  zeros(shape: number[], dtype: string, device?: string): T;
  ones(shape: number[], dtype: string, device?: string): T;
  full(shape: number[], value: number, dtype: string, device?: string): T;
  arange(start: number, end: number, step: number, dtype: string, device?: string): T;
  randn(shape: number[], gen: G, dtype: string, device?: string): T;
  rand(shape: number[], gen: G, dtype: string, device?: string): T;
  randint(low: number, high: number, shape: number[], gen: G, dtype: string, device?: string): T;
  gelu(x: T, approximate: string): T;
  clamp(x: T, min: number | null, max: number | null): T;
  where(c: T, a: Num, b: Num): T;
  maskedFill(x: T, mask: T, value: number): T;
  sum(x: T, dims: number[] | null, keepdim: boolean): T;
  mean(x: T, dims: number[] | null, keepdim: boolean): T;
  amax(x: T, dims: number[], keepdim: boolean): T;
  amin(x: T, dims: number[], keepdim: boolean): T;
  logsumexp(x: T, dims: number[], keepdim: boolean): T;
  variance(x: T, dims: number[], unbiased: boolean, keepdim: boolean): T;
  norm(x: T, p: number, dims: number[] | null, keepdim: boolean): T;
  argmax(x: T, dim: number, keepdim: boolean): T;
  cumsum(x: T, dim: number): T;
  maxDim(x: T, dim: number, keepdim: boolean): [T, T];
  topk(x: T, k: number, dim: number, largest: boolean, sorted: boolean): [T, T];
  sort(x: T, dim: number, descending: boolean): [T, T];
  reshape(x: T, shape: number[]): T;
  view(x: T, shape: number[]): T;
  permute(x: T, dims: number[]): T;
  transpose(x: T, a: number, b: number): T;
  isContiguous(x: T): boolean;
  slice(x: T, dim: number, start: number | null, end: number | null, step: number): T;
  narrow(x: T, dim: number, start: number, length: number): T;
  appendInPlace(buffer: T, dim: number, length: number, x: T): T;
  select(x: T, dim: number, index: number): T;
  squeeze(x: T, dim: number): T;
  unsqueeze(x: T, dim: number): T;
  flatten(x: T, start: number, end: number): T;
  expand(x: T, shape: number[]): T;
  repeat(x: T, reps: number[]): T;
  repeatInterleave(x: T, repeats: number, dim: number): T;
  flip(x: T, dims: number[]): T;
  pad(x: T, pads: number[], value: number): T;
  cat(xs: T[], dim: number): T;
  stack(xs: T[], dim: number): T;
  split(x: T, size: number, dim: number): T[];
  chunk(x: T, n: number, dim: number): T[];
  indexSelect(x: T, dim: number, index: T): T;
  gather(x: T, dim: number, index: T): T;
  scatterAdd(x: T, dim: number, index: T, src: T): T;
  tril(x: T, k: number): T;
  triu(x: T, k: number): T;
  toDtype(x: T, dtype: string): T;
  toDevice(x: T, device: string): T;
  baddbmm(input: T, b1: T, b2: T, beta: number, alpha: number): T;
  linear(x: T, w: T, b: T | null): T;
  softmax(x: T, dim: number): T;
  /** Only in an addon built against libtorch >= 2.1 (info().fusedAttention). */
  scaledDotProductAttention?(q: T, k: T, v: T, mask: T | null, isCausal: boolean, scale: number): T;
  logSoftmax(x: T, dim: number): T;
  crossEntropy(logits: T, target: T, ignoreIndex: number, reduction: string, labelSmoothing: number): T;
  embedding(weight: T, ids: T): T;
  layerNorm(x: T, shape: number[], w: T | null, b: T | null, eps: number): T;
  rmsNorm(x: T, w: T, eps: number): T;
  swiGlu(gate: T, up: T): T;
  applyRotary(x: T, cos: T, sin: T): T;
  groupedAttention(q: T, k: T, v: T, bias: T | null, scale: number): T;
  dropout(x: T, p: number, gen: G): T;
  multinomial(probs: T, n: number, replacement: boolean, gen: G): T;
  add_(x: T, other: T, alpha: number): T;
  fill_(x: T, v: number): T;
  mul_(x: T, v: number): T;
  setRequiresGrad(x: T, on: boolean): T;
  backward(x: T, grad: T | null, retainGraph: boolean): void;
  grad(x: T): T | null;
  setGrad(x: T, g: T | null): void;
  isGradEnabled(): boolean;
  setGradEnabled(on: boolean): boolean;
  clipGradNorm(params: T[], maxNorm: number, normType: number): number;
  distBackends(): string[];
  distInit(options: NativeGroupOptions): Promise<NativeGroup>;
  distBroadcast(g: NativeGroup, tensors: T[], root: number, bucketBytes: number): Promise<void>;
  distAllReduce(g: NativeGroup, tensors: T[], op: string, bucketBytes: number): Promise<void>;
  distAllGatherBytes(g: NativeGroup, bytes: Uint8Array): Promise<Uint8Array[]>;
  distBarrier(g: NativeGroup): Promise<void>;
  distDestroy(g: NativeGroup): void;
}

const require = createRequire(import.meta.url);
const root = new URL("../../../", import.meta.url).pathname;
// Plain JavaScript outside the compiled tree: the launcher applies it before any build exists.
const { withBlasCore } = (await import(new URL("../../../scripts/engine-env.mjs", import.meta.url).href)) as {
  withBlasCore(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
};

function load(): NativeAddon {
  const path = `${root}native/build/Release/calign_native.node`;
  // OpenBLAS reads its kernel from the environment when libtorch loads it, which is now. A program that
  // imports calign has no launcher to set it (see scripts/engine-env.mjs for why it matters).
  const core = withBlasCore(process.env).OPENBLAS_CORETYPE;
  if (core !== undefined) process.env.OPENBLAS_CORETYPE = core;
  try {
    return require(path) as NativeAddon;
  } catch (err) {
    throw new Error(
      `calign: cannot load the libtorch addon at ${path} (${(err as Error).message.split("\n")[0]}). ` +
        "Tensor code (the embedded backend, training) needs it; metrics, ROUGE, data and the HTTP and mock " +
        "backends do not. To build it, install libtorch (Debian: `apt-get install libtorch-dev`, or set " +
        `LIBTORCH to an unpacked libtorch) and run \`npm run build:native\` in ${root} ` +
        "(`bash scripts/install.sh` does both in a checkout).",
    );
  }
}

/**
 * The addon, loaded on first use so that importing calign needs no libtorch. Until then `native` is a
 * stand-in whose first property read loads the addon and rebinds `native` to it: ESM exports are live
 * bindings, so every importer then reads the addon itself and tensor ops pay nothing for the laziness.
 */
export let native: NativeAddon = new Proxy({} as NativeAddon, {
  get(_stub, key) {
    native = load();
    return Reflect.get(native, key);
  },
});

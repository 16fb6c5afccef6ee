// The tensor API every layer above the engine uses: a handle on a libtorch tensor with PyTorch-named
// methods. Each op returns a new tensor registered in the current scope (see scope.ts).
import { backwardFrom } from "./deferred-backward.js";
import { type AnyTypedArray, type DType, dtypeOf, viewAs } from "./dtype.js";
import { type NativeGenerator, type NativeTensor, native } from "./native.js";
import { track } from "./scope.js";

type Operand = Tensor | number;
const h = (x: Operand): NativeTensor | number => (typeof x === "number" ? x : x.handle);

/** A seedable random generator; its state can be saved and restored for exact resume. */
export class Generator {
  readonly handle: NativeGenerator;
  constructor(seed: number) {
    this.handle = new native.Generator(seed);
  }
  getState(): Uint8Array {
    return this.handle.getState();
  }
  setState(state: Uint8Array): void {
    this.handle.setState(state);
  }
}

export class Tensor {
  readonly handle: NativeTensor;

  constructor(handle: NativeTensor) {
    this.handle = handle;
    track(this);
  }

  // ---- metadata ----
  get shape(): number[] {
    return native.shape(this.handle);
  }
  get dtype(): DType {
    return native.dtype(this.handle) as DType;
  }
  get device(): string {
    return native.device(this.handle);
  }
  get ndim(): number {
    return native.shape(this.handle).length;
  }
  get numel(): number {
    return native.numel(this.handle);
  }
  /** Size of one dimension; negative dims count from the end. */
  size(dim: number): number {
    const s = this.shape;
    const v = s[dim < 0 ? s.length + dim : dim];
    if (v === undefined) throw new RangeError(`size(${dim}): tensor has shape [${s.join(", ")}]`);
    return v;
  }
  dispose(): void {
    native.dispose(this.handle);
  }
  isDisposed(): boolean {
    return native.isDisposed(this.handle);
  }

  // ---- data out ----
  /** The elements as a typed array sharing the tensor's CPU memory when it is contiguous (no copy). */
  data(): AnyTypedArray {
    return viewAs(native.toArray(this.handle), this.dtype);
  }
  /** The elements as plain numbers (int64 converted; float16/bfloat16 widened through float32). */
  toArray(): number[] {
    if (this.dtype === "float16" || this.dtype === "bfloat16") return this.to("float32").toArray();
    return Array.from(this.data() as ArrayLike<number | bigint>, Number);
  }
  item(): number {
    return native.item(this.handle);
  }

  // ---- elementwise ----
  add(o: Operand): Tensor {
    return new Tensor(native.add(this.handle, h(o)));
  }
  sub(o: Operand): Tensor {
    return new Tensor(native.sub(this.handle, h(o)));
  }
  mul(o: Operand): Tensor {
    return new Tensor(native.mul(this.handle, h(o)));
  }
  div(o: Operand): Tensor {
    return new Tensor(native.div(this.handle, h(o)));
  }
  pow(o: Operand): Tensor {
    return new Tensor(native.pow(this.handle, h(o)));
  }
  eq(o: Operand): Tensor {
    return new Tensor(native.eq(this.handle, h(o)));
  }
  ne(o: Operand): Tensor {
    return new Tensor(native.ne(this.handle, h(o)));
  }
  lt(o: Operand): Tensor {
    return new Tensor(native.lt(this.handle, h(o)));
  }
  le(o: Operand): Tensor {
    return new Tensor(native.le(this.handle, h(o)));
  }
  gt(o: Operand): Tensor {
    return new Tensor(native.gt(this.handle, h(o)));
  }
  ge(o: Operand): Tensor {
    return new Tensor(native.ge(this.handle, h(o)));
  }
  maximum(o: Tensor): Tensor {
    return new Tensor(native.maximum(this.handle, o.handle));
  }
  minimum(o: Tensor): Tensor {
    return new Tensor(native.minimum(this.handle, o.handle));
  }
  logicalAnd(o: Tensor): Tensor {
    return new Tensor(native.logicalAnd(this.handle, o.handle));
  }
  logicalOr(o: Tensor): Tensor {
    return new Tensor(native.logicalOr(this.handle, o.handle));
  }
  neg(): Tensor {
    return new Tensor(native.neg(this.handle));
  }
  exp(): Tensor {
    return new Tensor(native.exp(this.handle));
  }
  log(): Tensor {
    return new Tensor(native.log(this.handle));
  }
  log1p(): Tensor {
    return new Tensor(native.log1p(this.handle));
  }
  sqrt(): Tensor {
    return new Tensor(native.sqrt(this.handle));
  }
  rsqrt(): Tensor {
    return new Tensor(native.rsqrt(this.handle));
  }
  abs(): Tensor {
    return new Tensor(native.abs(this.handle));
  }
  sin(): Tensor {
    return new Tensor(native.sin(this.handle));
  }
  cos(): Tensor {
    return new Tensor(native.cos(this.handle));
  }
  tanh(): Tensor {
    return new Tensor(native.tanh(this.handle));
  }
  sigmoid(): Tensor {
    return new Tensor(native.sigmoid(this.handle));
  }
  logSigmoid(): Tensor {
    return new Tensor(native.logSigmoid(this.handle));
  }
  relu(): Tensor {
    return new Tensor(native.relu(this.handle));
  }
  silu(): Tensor {
    return new Tensor(native.silu(this.handle));
  }
  /** GELU; "tanh" is GPT-2's approximation, "none" the exact erf form. */
  gelu(approximate: "none" | "tanh" = "none"): Tensor {
    return new Tensor(native.gelu(this.handle, approximate));
  }
  square(): Tensor {
    return new Tensor(native.square(this.handle));
  }
  reciprocal(): Tensor {
    return new Tensor(native.reciprocal(this.handle));
  }
  erf(): Tensor {
    return new Tensor(native.erf(this.handle));
  }
  floor(): Tensor {
    return new Tensor(native.floor(this.handle));
  }
  sign(): Tensor {
    return new Tensor(native.sign(this.handle));
  }
  logicalNot(): Tensor {
    return new Tensor(native.logicalNot(this.handle));
  }
  isfinite(): Tensor {
    return new Tensor(native.isfinite(this.handle));
  }
  isnan(): Tensor {
    return new Tensor(native.isnan(this.handle));
  }
  clamp(min: number | null, max: number | null = null): Tensor {
    return new Tensor(native.clamp(this.handle, min, max));
  }
  /** Elements where mask is true set to value. */
  maskedFill(mask: Tensor, value: number): Tensor {
    return new Tensor(native.maskedFill(this.handle, mask.handle, value));
  }

  // ---- reductions (dims omitted = all) ----
  sum(dims?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.sum(this.handle, dimList(dims), keepdim));
  }
  mean(dims?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.mean(this.handle, dimList(dims), keepdim));
  }
  amax(dims: number | number[], keepdim = false): Tensor {
    return new Tensor(native.amax(this.handle, dimList(dims) ?? [], keepdim));
  }
  amin(dims: number | number[], keepdim = false): Tensor {
    return new Tensor(native.amin(this.handle, dimList(dims) ?? [], keepdim));
  }
  logsumexp(dims: number | number[], keepdim = false): Tensor {
    return new Tensor(native.logsumexp(this.handle, dimList(dims) ?? [], keepdim));
  }
  variance(dims: number | number[], unbiased = true, keepdim = false): Tensor {
    return new Tensor(native.variance(this.handle, dimList(dims) ?? [], unbiased, keepdim));
  }
  norm(p = 2, dims?: number | number[], keepdim = false): Tensor {
    return new Tensor(native.norm(this.handle, p, dimList(dims), keepdim));
  }
  argmax(dim: number, keepdim = false): Tensor {
    return new Tensor(native.argmax(this.handle, dim, keepdim));
  }
  all(): Tensor {
    return new Tensor(native.all(this.handle));
  }
  any(): Tensor {
    return new Tensor(native.any(this.handle));
  }
  cumsum(dim: number): Tensor {
    return new Tensor(native.cumsum(this.handle, dim));
  }
  max(dim: number, keepdim = false): { values: Tensor; indices: Tensor } {
    const [v, i] = native.maxDim(this.handle, dim, keepdim);
    return { values: new Tensor(v), indices: new Tensor(i) };
  }
  topk(k: number, dim = -1, largest = true, sorted = true): { values: Tensor; indices: Tensor } {
    const [v, i] = native.topk(this.handle, k, dim, largest, sorted);
    return { values: new Tensor(v), indices: new Tensor(i) };
  }
  sort(dim = -1, descending = false): { values: Tensor; indices: Tensor } {
    const [v, i] = native.sort(this.handle, dim, descending);
    return { values: new Tensor(v), indices: new Tensor(i) };
  }

  // ---- shapes and views ----
  reshape(...shape: number[]): Tensor {
    return new Tensor(native.reshape(this.handle, shape));
  }
  view(...shape: number[]): Tensor {
    return new Tensor(native.view(this.handle, shape));
  }
  permute(...dims: number[]): Tensor {
    return new Tensor(native.permute(this.handle, dims));
  }
  transpose(a: number, b: number): Tensor {
    return new Tensor(native.transpose(this.handle, a, b));
  }
  contiguous(): Tensor {
    return new Tensor(native.contiguous(this.handle));
  }
  isContiguous(): boolean {
    return native.isContiguous(this.handle);
  }
  /** Python's x[..., start:end:step] along dim; null means the open end. */
  slice(dim: number, start: number | null, end: number | null = null, step = 1): Tensor {
    return new Tensor(native.slice(this.handle, dim, start, end, step));
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return new Tensor(native.narrow(this.handle, dim, start, length));
  }
  select(dim: number, index: number): Tensor {
    return new Tensor(native.select(this.handle, dim, index));
  }
  squeeze(dim: number): Tensor {
    return new Tensor(native.squeeze(this.handle, dim));
  }
  unsqueeze(dim: number): Tensor {
    return new Tensor(native.unsqueeze(this.handle, dim));
  }
  flatten(start = 0, end = -1): Tensor {
    return new Tensor(native.flatten(this.handle, start, end));
  }
  expand(...shape: number[]): Tensor {
    return new Tensor(native.expand(this.handle, shape));
  }
  repeat(...reps: number[]): Tensor {
    return new Tensor(native.repeat(this.handle, reps));
  }
  repeatInterleave(repeats: number, dim: number): Tensor {
    return new Tensor(native.repeatInterleave(this.handle, repeats, dim));
  }
  flip(...dims: number[]): Tensor {
    return new Tensor(native.flip(this.handle, dims));
  }
  /** Constant padding; pads lists (before, after) pairs starting from the last dim, as F.pad. */
  pad(pads: number[], value = 0): Tensor {
    return new Tensor(native.pad(this.handle, pads, value));
  }
  split(size: number, dim = 0): Tensor[] {
    return native.split(this.handle, size, dim).map((t) => new Tensor(t));
  }
  chunk(n: number, dim = 0): Tensor[] {
    return native.chunk(this.handle, n, dim).map((t) => new Tensor(t));
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return new Tensor(native.indexSelect(this.handle, dim, index.handle));
  }
  gather(dim: number, index: Tensor): Tensor {
    return new Tensor(native.gather(this.handle, dim, index.handle));
  }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return new Tensor(native.scatterAdd(this.handle, dim, index.handle, src.handle));
  }
  tril(k = 0): Tensor {
    return new Tensor(native.tril(this.handle, k));
  }
  triu(k = 0): Tensor {
    return new Tensor(native.triu(this.handle, k));
  }
  clone(): Tensor {
    return new Tensor(native.clone(this.handle));
  }
  /** A copy in another dtype or on another device ("cpu", "cuda", "cuda:1"). */
  to(target: DType | string): Tensor {
    if (isDtypeName(target)) return new Tensor(native.toDtype(this.handle, target));
    return new Tensor(native.toDevice(this.handle, target));
  }

  // ---- linear algebra and layers ----
  matmul(o: Tensor): Tensor {
    return new Tensor(native.matmul(this.handle, o.handle));
  }
  bmm(o: Tensor): Tensor {
    return new Tensor(native.bmm(this.handle, o.handle));
  }
  /** beta · this + alpha · (b1 @ b2) for batches b1 (n, p, k), b2 (n, k, m); this broadcasts to (n, p, m). */
  baddbmm(b1: Tensor, b2: Tensor, beta = 1, alpha = 1): Tensor {
    return new Tensor(native.baddbmm(this.handle, b1.handle, b2.handle, beta, alpha));
  }
  softmax(dim: number): Tensor {
    return new Tensor(native.softmax(this.handle, dim));
  }
  /** log-softmax, computed in float32 for half inputs. */
  logSoftmax(dim: number): Tensor {
    return new Tensor(native.logSoftmax(this.handle, dim));
  }

  // ---- autograd ----
  requiresGrad(): boolean {
    return native.requiresGrad(this.handle);
  }
  setRequiresGrad(on = true): this {
    native.setRequiresGrad(this.handle, on);
    return this;
  }
  /** Backpropagates from this tensor (a scalar, or pass the output gradient), through deferred segments too. */
  backward(grad?: Tensor, retainGraph = false): void {
    backwardFrom(this, grad ?? null, retainGraph);
  }
  /** The accumulated gradient, or null before any backward. */
  get grad(): Tensor | null {
    const g = native.grad(this.handle);
    return g === null ? null : new Tensor(g);
  }
  set grad(g: Tensor | null) {
    native.setGrad(this.handle, g?.handle ?? null);
  }
  detach(): Tensor {
    return new Tensor(native.detach(this.handle));
  }

  // ---- in place (use under noGrad for parameters) ----
  copy_(src: Tensor): this {
    native.copy_(this.handle, src.handle);
    return this;
  }
  zero_(): this {
    native.zero_(this.handle);
    return this;
  }
  fill_(value: number): this {
    native.fill_(this.handle, value);
    return this;
  }
  /** this += alpha * other */
  add_(other: Tensor, alpha = 1): this {
    native.add_(this.handle, other.handle, alpha);
    return this;
  }
  mul_(value: number): this {
    native.mul_(this.handle, value);
    return this;
  }

  toString(): string {
    return `Tensor(shape=[${this.shape.join(", ")}], dtype=${this.dtype}, device=${this.device})`;
  }
}

const DTYPES = new Set([
  "float32",
  "float64",
  "float16",
  "bfloat16",
  "int64",
  "int32",
  "int16",
  "int8",
  "uint8",
  "bool",
]);
function isDtypeName(s: string): s is DType {
  return DTYPES.has(s);
}

function dimList(dims: number | number[] | undefined): number[] | null {
  if (dims === undefined) return null;
  return typeof dims === "number" ? [dims] : dims;
}

export interface CreateOptions {
  dtype?: DType;
  /** Default: withDefaultDevice's device, else "cpu". */
  device?: string;
}

/** Where creation functions put a tensor given no device (undefined: libtorch's default, the CPU). */
let defaultDevice: string | undefined;

/**
 * fn with tensors created without a device going to `device` (as torch.set_default_device). Tests run
 * a model on one device with this set to another (e.g. "meta"): a tensor the model creates without
 * naming its device then meets the model's in an op, and libtorch refuses to mix them.
 */
export function withDefaultDevice<R>(device: string, fn: () => R): R {
  const before = defaultDevice;
  defaultDevice = device;
  try {
    return fn();
  } finally {
    defaultDevice = before;
  }
}

const deviceOf = (opts: CreateOptions): string | undefined => opts.device ?? defaultDevice;

/** A tensor from a typed array or nested number arrays (copied once into libtorch memory). */
export function tensor(
  data: AnyTypedArray | number[] | number[][] | number[][][],
  shape?: number[],
  opts: CreateOptions = {},
): Tensor {
  if (ArrayBuffer.isView(data)) {
    const dtype = opts.dtype ?? dtypeOf(data);
    return new Tensor(native.fromArray(data, dtype, shape ?? [data.length], deviceOf(opts)));
  }
  const flat = (data as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  const inferred = shape ?? nestedShape(data);
  const dtype = opts.dtype ?? "float32";
  return new Tensor(native.fromArray(typedFrom(flat, dtype), dtype, inferred, deviceOf(opts)));
}

/**
 * The `byteLength` bytes at `offset` of a file as a tensor: memory-mapped and copied once, straight into
 * the tensor's memory on the device (checkpoint weights, one tensor at a time).
 */
export function tensorFromFile(
  path: string,
  offset: number,
  byteLength: number,
  shape: number[],
  opts: CreateOptions & { dtype: DType },
): Tensor {
  return new Tensor(native.fromFile(path, offset, byteLength, opts.dtype, shape, deviceOf(opts)));
}

function nestedShape(data: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function typedFrom(values: number[], dtype: DType): AnyTypedArray {
  switch (dtype) {
    case "float32":
      return Float32Array.from(values);
    case "float64":
      return Float64Array.from(values);
    case "int64":
      return BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)));
    case "int32":
      return Int32Array.from(values);
    case "int16":
      return Int16Array.from(values);
    case "int8":
      return Int8Array.from(values);
    case "uint8":
    case "bool":
      return Uint8Array.from(values, (v) => (dtype === "bool" ? (v ? 1 : 0) : v));
    case "float16":
    case "bfloat16":
      throw new TypeError(`tensor(): build ${dtype} from float32 data with .to("${dtype}")`);
  }
}

export function zeros(shape: number[], opts: CreateOptions = {}): Tensor {
  return new Tensor(native.zeros(shape, opts.dtype ?? "float32", deviceOf(opts)));
}
export function ones(shape: number[], opts: CreateOptions = {}): Tensor {
  return new Tensor(native.ones(shape, opts.dtype ?? "float32", deviceOf(opts)));
}
export function full(shape: number[], value: number, opts: CreateOptions = {}): Tensor {
  return new Tensor(native.full(shape, value, opts.dtype ?? "float32", deviceOf(opts)));
}
/** [start, end) with step; int64 by default, as torch.arange with integer arguments. */
export function arange(start: number, end: number, step = 1, opts: CreateOptions = {}): Tensor {
  return new Tensor(native.arange(start, end, step, opts.dtype ?? "int64", deviceOf(opts)));
}
export function randn(shape: number[], gen: Generator | null = null, opts: CreateOptions = {}): Tensor {
  return new Tensor(native.randn(shape, gen?.handle ?? null, opts.dtype ?? "float32", deviceOf(opts)));
}
export function rand(shape: number[], gen: Generator | null = null, opts: CreateOptions = {}): Tensor {
  return new Tensor(native.rand(shape, gen?.handle ?? null, opts.dtype ?? "float32", deviceOf(opts)));
}
export function randint(
  low: number,
  high: number,
  shape: number[],
  gen: Generator | null = null,
  opts: CreateOptions = {},
): Tensor {
  return new Tensor(
    native.randint(low, high, shape, gen?.handle ?? null, opts.dtype ?? "int64", deviceOf(opts)),
  );
}

export function cat(xs: Tensor[], dim = 0): Tensor {
  return new Tensor(
    native.cat(
      xs.map((x) => x.handle),
      dim,
    ),
  );
}
export function stack(xs: Tensor[], dim = 0): Tensor {
  return new Tensor(
    native.stack(
      xs.map((x) => x.handle),
      dim,
    ),
  );
}
/** cond ? a : b, elementwise; a and b may be numbers. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  return new Tensor(native.where(cond.handle, h(a), h(b)));
}

/** How many tensor handles still hold memory (for leak tests). */
export function liveTensors(): number {
  return native.liveTensors();
}

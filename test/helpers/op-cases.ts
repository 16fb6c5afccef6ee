// One table of differentiable ops, each written twice: with calign's tensor API and as the PyTorch
// expression it must equal. The gradient tests (finite differences) and the PyTorch parity tests both
// run every case, so a new op gets both checks by adding one line here.
import { cat, F, Generator, stack, type Tensor, tensor, where } from "../../src/engine/index.js";
import { rng, uniform } from "./random.js";

/** How an input's values are drawn: kinks and poles are kept away from finite-difference steps. */
export type InputKind =
  | { kind: "real" } // uniform in [-1, 1), |x| > 0.05
  | { kind: "positive" } // uniform in [0.2, 2)
  | { kind: "distinct" } // a shuffled grid: ties never occur, so max/sort are differentiable
  | { kind: "index"; high: number } // int64 in [0, high)
  | { kind: "mask" }; // bool

export interface InputSpec {
  shape: number[];
  as: InputKind;
}

export interface OpCase {
  name: string;
  inputs: InputSpec[];
  /** calign's computation. */
  ts: (xs: Tensor[]) => Tensor;
  /** The same in PyTorch over x0, x1, ... (torch, F = torch.nn.functional in scope). */
  py: string;
}

const real = (...shape: number[]): InputSpec => ({ shape, as: { kind: "real" } });
const pos = (...shape: number[]): InputSpec => ({ shape, as: { kind: "positive" } });
const distinct = (...shape: number[]): InputSpec => ({ shape, as: { kind: "distinct" } });
const index = (high: number, ...shape: number[]): InputSpec => ({ shape, as: { kind: "index", high } });
const mask = (...shape: number[]): InputSpec => ({ shape, as: { kind: "mask" } });
const at = (xs: Tensor[], i: number): Tensor => xs[i] as Tensor;

export const OP_CASES: OpCase[] = [
  { name: "add", inputs: [real(2, 3), real(3)], ts: (x) => at(x, 0).add(at(x, 1)), py: "x0 + x1" },
  { name: "add scalar", inputs: [real(2, 3)], ts: (x) => at(x, 0).add(1.5), py: "x0 + 1.5" },
  { name: "sub", inputs: [real(2, 3), real(2, 1)], ts: (x) => at(x, 0).sub(at(x, 1)), py: "x0 - x1" },
  { name: "mul", inputs: [real(2, 3), real(2, 3)], ts: (x) => at(x, 0).mul(at(x, 1)), py: "x0 * x1" },
  { name: "mul scalar", inputs: [real(4)], ts: (x) => at(x, 0).mul(-2.5), py: "x0 * -2.5" },
  { name: "div", inputs: [real(2, 3), pos(2, 3)], ts: (x) => at(x, 0).div(at(x, 1)), py: "x0 / x1" },
  { name: "pow", inputs: [pos(2, 3), real(2, 3)], ts: (x) => at(x, 0).pow(at(x, 1)), py: "x0 ** x1" },
  { name: "pow scalar", inputs: [pos(5)], ts: (x) => at(x, 0).pow(2.5), py: "x0 ** 2.5" },
  { name: "neg", inputs: [real(5)], ts: (x) => at(x, 0).neg(), py: "-x0" },
  { name: "exp", inputs: [real(5)], ts: (x) => at(x, 0).exp(), py: "torch.exp(x0)" },
  { name: "log", inputs: [pos(5)], ts: (x) => at(x, 0).log(), py: "torch.log(x0)" },
  { name: "log1p", inputs: [pos(5)], ts: (x) => at(x, 0).log1p(), py: "torch.log1p(x0)" },
  { name: "sqrt", inputs: [pos(5)], ts: (x) => at(x, 0).sqrt(), py: "torch.sqrt(x0)" },
  { name: "rsqrt", inputs: [pos(5)], ts: (x) => at(x, 0).rsqrt(), py: "torch.rsqrt(x0)" },
  { name: "abs", inputs: [real(5)], ts: (x) => at(x, 0).abs(), py: "torch.abs(x0)" },
  { name: "sin", inputs: [real(5)], ts: (x) => at(x, 0).sin(), py: "torch.sin(x0)" },
  { name: "cos", inputs: [real(5)], ts: (x) => at(x, 0).cos(), py: "torch.cos(x0)" },
  { name: "tanh", inputs: [real(5)], ts: (x) => at(x, 0).tanh(), py: "torch.tanh(x0)" },
  { name: "sigmoid", inputs: [real(5)], ts: (x) => at(x, 0).sigmoid(), py: "torch.sigmoid(x0)" },
  { name: "logSigmoid", inputs: [real(5)], ts: (x) => at(x, 0).logSigmoid(), py: "F.logsigmoid(x0)" },
  { name: "relu", inputs: [real(6)], ts: (x) => at(x, 0).relu(), py: "torch.relu(x0)" },
  { name: "silu", inputs: [real(6)], ts: (x) => at(x, 0).silu(), py: "F.silu(x0)" },
  { name: "gelu erf", inputs: [real(6)], ts: (x) => at(x, 0).gelu("none"), py: "F.gelu(x0)" },
  {
    name: "gelu tanh",
    inputs: [real(6)],
    ts: (x) => at(x, 0).gelu("tanh"),
    py: "F.gelu(x0, approximate='tanh')",
  },
  { name: "square", inputs: [real(5)], ts: (x) => at(x, 0).square(), py: "torch.square(x0)" },
  { name: "reciprocal", inputs: [pos(5)], ts: (x) => at(x, 0).reciprocal(), py: "torch.reciprocal(x0)" },
  { name: "erf", inputs: [real(5)], ts: (x) => at(x, 0).erf(), py: "torch.erf(x0)" },
  {
    name: "clamp",
    inputs: [real(8)],
    ts: (x) => at(x, 0).clamp(-0.5, 0.5),
    py: "torch.clamp(x0, -0.5, 0.5)",
  },
  {
    name: "maximum",
    inputs: [distinct(6), distinct(6)],
    ts: (x) => at(x, 0).maximum(at(x, 1)),
    py: "torch.maximum(x0, x1)",
  },
  {
    name: "minimum",
    inputs: [distinct(6), distinct(6)],
    ts: (x) => at(x, 0).minimum(at(x, 1)),
    py: "torch.minimum(x0, x1)",
  },
  {
    name: "where",
    inputs: [mask(2, 3), real(2, 3), real(2, 3)],
    ts: (x) => where(at(x, 0), at(x, 1), at(x, 2)),
    py: "torch.where(x0, x1, x2)",
  },
  {
    name: "where scalar",
    inputs: [mask(2, 3), real(2, 3)],
    ts: (x) => where(at(x, 0), at(x, 1), 0.25),
    py: "torch.where(x0, x1, torch.tensor(0.25, dtype=x1.dtype))",
  },
  {
    name: "maskedFill",
    inputs: [real(2, 3), mask(2, 3)],
    ts: (x) => at(x, 0).maskedFill(at(x, 1), -3),
    py: "x0.masked_fill(x1, -3)",
  },
  { name: "sum all", inputs: [real(2, 3)], ts: (x) => at(x, 0).sum(), py: "x0.sum()" },
  {
    name: "sum dims keepdim",
    inputs: [real(2, 3, 2)],
    ts: (x) => at(x, 0).sum([0, 2], true),
    py: "x0.sum(dim=(0, 2), keepdim=True)",
  },
  { name: "mean", inputs: [real(3, 4)], ts: (x) => at(x, 0).mean(1), py: "x0.mean(dim=1)" },
  { name: "amax", inputs: [distinct(3, 4)], ts: (x) => at(x, 0).amax(1), py: "x0.amax(dim=1)" },
  {
    name: "amin",
    inputs: [distinct(3, 4)],
    ts: (x) => at(x, 0).amin(0, true),
    py: "x0.amin(dim=0, keepdim=True)",
  },
  {
    name: "logsumexp",
    inputs: [real(3, 4)],
    ts: (x) => at(x, 0).logsumexp(-1),
    py: "torch.logsumexp(x0, dim=-1)",
  },
  {
    name: "variance",
    inputs: [real(3, 4)],
    ts: (x) => at(x, 0).variance(1, false),
    py: "x0.var(dim=1, unbiased=False)",
  },
  { name: "norm", inputs: [real(3, 4)], ts: (x) => at(x, 0).norm(2, 1), py: "torch.norm(x0, 2, dim=1)" },
  {
    name: "max dim values",
    inputs: [distinct(3, 4)],
    ts: (x) => at(x, 0).max(1).values,
    py: "x0.max(dim=1).values",
  },
  {
    name: "topk values",
    inputs: [distinct(2, 5)],
    ts: (x) => at(x, 0).topk(2).values,
    py: "torch.topk(x0, 2).values",
  },
  {
    name: "sort values",
    inputs: [distinct(2, 5)],
    ts: (x) => at(x, 0).sort(-1, true).values,
    py: "torch.sort(x0, -1, True).values",
  },
  { name: "cumsum", inputs: [real(2, 4)], ts: (x) => at(x, 0).cumsum(1), py: "torch.cumsum(x0, 1)" },
  { name: "reshape", inputs: [real(2, 6)], ts: (x) => at(x, 0).reshape(3, 4), py: "x0.reshape(3, 4)" },
  {
    name: "permute",
    inputs: [real(2, 3, 4)],
    ts: (x) => at(x, 0).permute(2, 0, 1),
    py: "x0.permute(2, 0, 1)",
  },
  {
    name: "transpose contiguous",
    inputs: [real(2, 3)],
    ts: (x) => at(x, 0).transpose(0, 1).contiguous(),
    py: "x0.transpose(0, 1).contiguous()",
  },
  { name: "slice step", inputs: [real(3, 7)], ts: (x) => at(x, 0).slice(1, 1, 6, 2), py: "x0[:, 1:6:2]" },
  { name: "slice open", inputs: [real(5, 2)], ts: (x) => at(x, 0).slice(0, -3), py: "x0[-3:]" },
  { name: "narrow", inputs: [real(4, 3)], ts: (x) => at(x, 0).narrow(0, 1, 2), py: "x0.narrow(0, 1, 2)" },
  { name: "select", inputs: [real(4, 3)], ts: (x) => at(x, 0).select(1, 2), py: "x0.select(1, 2)" },
  {
    name: "unsqueeze squeeze",
    inputs: [real(3, 1)],
    ts: (x) => at(x, 0).squeeze(1).unsqueeze(0),
    py: "x0.squeeze(1).unsqueeze(0)",
  },
  { name: "flatten", inputs: [real(2, 3, 2)], ts: (x) => at(x, 0).flatten(1), py: "x0.flatten(1)" },
  { name: "expand", inputs: [real(3, 1)], ts: (x) => at(x, 0).expand(3, 4), py: "x0.expand(3, 4)" },
  { name: "repeat", inputs: [real(2, 2)], ts: (x) => at(x, 0).repeat(2, 3), py: "x0.repeat(2, 3)" },
  {
    name: "repeatInterleave",
    inputs: [real(2, 3)],
    ts: (x) => at(x, 0).repeatInterleave(2, 1),
    py: "x0.repeat_interleave(2, dim=1)",
  },
  { name: "flip", inputs: [real(2, 3)], ts: (x) => at(x, 0).flip(1), py: "x0.flip(1)" },
  {
    name: "pad",
    inputs: [real(2, 3)],
    ts: (x) => at(x, 0).pad([1, 2, 0, 1], 0.5),
    py: "F.pad(x0, (1, 2, 0, 1), value=0.5)",
  },
  {
    name: "cat",
    inputs: [real(2, 3), real(1, 3)],
    ts: (x) => cat([at(x, 0), at(x, 1)], 0),
    py: "torch.cat([x0, x1], 0)",
  },
  {
    name: "stack",
    inputs: [real(2, 3), real(2, 3)],
    ts: (x) => stack([at(x, 0), at(x, 1)], 1),
    py: "torch.stack([x0, x1], 1)",
  },
  {
    name: "split",
    inputs: [real(2, 4)],
    ts: (x) => stack(at(x, 0).split(2, 1), 0),
    py: "torch.stack(torch.split(x0, 2, 1), 0)",
  },
  {
    name: "chunk",
    inputs: [real(6, 2)],
    ts: (x) => stack(at(x, 0).chunk(3, 0), 0),
    py: "torch.stack(torch.chunk(x0, 3, 0), 0)",
  },
  {
    name: "indexSelect",
    inputs: [real(5, 3), index(5, 4)],
    ts: (x) => at(x, 0).indexSelect(0, at(x, 1)),
    py: "x0.index_select(0, x1)",
  },
  {
    name: "gather",
    inputs: [real(3, 4), index(4, 3, 2)],
    ts: (x) => at(x, 0).gather(1, at(x, 1)),
    py: "x0.gather(1, x1)",
  },
  {
    name: "scatterAdd",
    inputs: [real(3, 4), index(4, 3, 5), real(3, 5)],
    ts: (x) => at(x, 0).scatterAdd(1, at(x, 1), at(x, 2)),
    py: "x0.scatter_add(1, x1, x2)",
  },
  { name: "tril", inputs: [real(4, 4)], ts: (x) => at(x, 0).tril(), py: "torch.tril(x0)" },
  { name: "triu", inputs: [real(4, 4)], ts: (x) => at(x, 0).triu(1), py: "torch.triu(x0, 1)" },
  {
    name: "matmul",
    inputs: [real(2, 3, 4), real(4, 5)],
    ts: (x) => at(x, 0).matmul(at(x, 1)),
    py: "x0 @ x1",
  },
  {
    name: "bmm",
    inputs: [real(2, 3, 4), real(2, 4, 2)],
    ts: (x) => at(x, 0).bmm(at(x, 1)),
    py: "torch.bmm(x0, x1)",
  },
  {
    name: "baddbmm (broadcast input, beta, alpha)",
    inputs: [real(1, 3, 2), real(2, 3, 4), real(2, 4, 2)],
    ts: (x) => at(x, 0).baddbmm(at(x, 1), at(x, 2), 0.5, 0.25),
    py: "torch.baddbmm(x0, x1, x2, beta=0.5, alpha=0.25)",
  },
  {
    name: "linear",
    inputs: [real(2, 3, 4), real(5, 4), real(5)],
    ts: (x) => F.linear(at(x, 0), at(x, 1), at(x, 2)),
    py: "F.linear(x0, x1, x2)",
  },
  {
    name: "linear no bias",
    inputs: [real(3, 4), real(2, 4)],
    ts: (x) => F.linear(at(x, 0), at(x, 1)),
    py: "F.linear(x0, x1)",
  },
  // One row of input takes the addon's gemv path (batch-1 decoding).
  {
    name: "linear one row",
    inputs: [real(1, 1, 4), real(5, 4), real(5)],
    ts: (x) => F.linear(at(x, 0), at(x, 1), at(x, 2)),
    py: "F.linear(x0, x1, x2)",
  },
  {
    name: "linear one row, 1-D, transposed weight",
    inputs: [real(4), real(4, 5)],
    ts: (x) => F.linear(at(x, 0), at(x, 1).transpose(0, 1)),
    py: "F.linear(x0, x1.t())",
  },
  { name: "softmax", inputs: [real(3, 5)], ts: (x) => at(x, 0).softmax(-1), py: "torch.softmax(x0, -1)" },
  {
    name: "logSoftmax",
    inputs: [real(3, 5)],
    ts: (x) => at(x, 0).logSoftmax(1),
    py: "torch.log_softmax(x0, 1)",
  },
  {
    name: "crossEntropy ignoreIndex",
    inputs: [real(6, 5), index(5, 6)],
    ts: (x) => F.crossEntropy(at(x, 0), at(x, 1).maskedFill(at(x, 1).eq(2), -100)),
    py: "F.cross_entropy(x0, x1.masked_fill(x1 == 2, -100))",
  },
  {
    name: "crossEntropy sum smoothing",
    inputs: [real(4, 5), index(5, 4)],
    ts: (x) => F.crossEntropy(at(x, 0), at(x, 1), { reduction: "sum", labelSmoothing: 0.1 }),
    py: "F.cross_entropy(x0, x1, reduction='sum', label_smoothing=0.1)",
  },
  {
    name: "crossEntropy none",
    inputs: [real(4, 3), index(3, 4)],
    ts: (x) => F.crossEntropy(at(x, 0), at(x, 1), { reduction: "none" }),
    py: "F.cross_entropy(x0, x1, reduction='none')",
  },
  {
    name: "embedding",
    inputs: [real(6, 3), index(6, 2, 4)],
    ts: (x) => F.embedding(at(x, 0), at(x, 1)),
    py: "F.embedding(x1, x0)",
  },
  {
    name: "layerNorm",
    inputs: [real(2, 3, 4), real(4), real(4)],
    ts: (x) => F.layerNorm(at(x, 0), [4], at(x, 1), at(x, 2), 1e-5),
    py: "F.layer_norm(x0, (4,), x1, x2, 1e-5)",
  },
  {
    name: "rmsNorm",
    inputs: [real(2, 3, 4), real(4)],
    ts: (x) => F.rmsNorm(at(x, 0), at(x, 1), 1e-6),
    py: "x0 * torch.rsqrt(x0.pow(2).mean(-1, keepdim=True) + 1e-6) * x1",
  },
  {
    name: "swiGlu",
    inputs: [real(2, 3, 4), real(2, 3, 4)],
    ts: (x) => F.swiGlu(at(x, 0), at(x, 1)),
    py: "F.silu(x0) * x1",
  },
  {
    name: "applyRotary",
    inputs: [real(1, 2, 3, 4), real(1, 1, 3, 4), real(1, 1, 3, 4)],
    ts: (x) => F.applyRotary(at(x, 0), at(x, 1), at(x, 2)),
    py: "x0 * x1 + torch.cat([-x0[..., 2:], x0[..., :2]], -1) * x2",
  },
  {
    name: "groupedAttention (2 query heads per key/value head)",
    inputs: [real(2, 4, 3, 2), real(2, 2, 5, 2), real(2, 2, 5, 2)],
    ts: (x) => F.groupedAttention(at(x, 0), at(x, 1), at(x, 2), null, 0.7),
    py: "torch.softmax(x0 @ x1.repeat_interleave(2, 1).transpose(-2, -1) * 0.7, -1) @ x2.repeat_interleave(2, 1)",
  },
  {
    name: "groupedAttention with an additive bias",
    inputs: [real(1, 4, 3, 2), real(1, 2, 5, 2), real(1, 2, 5, 2), real(1, 6, 5)],
    ts: (x) => F.groupedAttention(at(x, 0), at(x, 1), at(x, 2), at(x, 3), 0.7),
    py: "torch.softmax(x0 @ x1.repeat_interleave(2, 1).transpose(-2, -1) * 0.7 + x3.view(1, 1, 2, 3, 5).expand(1, 2, 2, 3, 5).reshape(1, 4, 3, 5), -1) @ x2.repeat_interleave(2, 1)",
  },
  {
    name: "dropout seeded",
    inputs: [real(4, 6)],
    ts: (x) => F.dropout(at(x, 0), 0.3, true, new Generator(7)),
    py: "x0 * torch.empty_like(x0).bernoulli_(0.7, generator=torch.Generator().manual_seed(7)).div_(0.7)",
  },
  {
    name: "attention block",
    inputs: [real(1, 2, 3, 4), real(1, 2, 3, 4), real(1, 2, 3, 4)],
    ts: (x) => {
      const scores = at(x, 0).matmul(at(x, 1).transpose(-2, -1)).mul(0.5);
      const causal = tensor([1, 0, 0, 1, 1, 0, 1, 1, 1], [3, 3], { dtype: "bool" }).logicalNot();
      return scores.maskedFill(causal, Number.NEGATIVE_INFINITY).softmax(-1).matmul(at(x, 2));
    },
    py: "torch.softmax((x0 @ x1.transpose(-2, -1) * 0.5).masked_fill(torch.ones(3, 3, dtype=torch.bool).tril().logical_not(), float('-inf')), -1) @ x2",
  },
];

/** Concrete input values for a case, seeded by the case's position. */
export function caseInputs(c: OpCase, seed: number): number[][] {
  const next = rng(seed);
  return c.inputs.map(({ shape, as }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    switch (as.kind) {
      case "real":
        return uniform(next, n).map((v) => (Math.abs(v) < 0.05 ? v + Math.sign(v || 1) * 0.1 : v));
      case "positive":
        return uniform(next, n, 0.2, 2);
      case "distinct": {
        const grid = Array.from({ length: n }, (_, i) => (i - n / 2) * 0.1 + 0.013);
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(next() * (i + 1));
          [grid[i], grid[j]] = [grid[j] as number, grid[i] as number];
        }
        return grid;
      }
      case "index":
        return uniform(next, n, 0, as.high).map(Math.floor);
      case "mask":
        return uniform(next, n, 0, 1).map((v) => (v < 0.5 ? 1 : 0));
      default:
        throw new Error(`unknown input kind ${(as as { kind: string }).kind}`);
    }
  });
}

/** Builds the case's input tensors in the given float dtype; real inputs optionally require grad. */
export function caseTensors(
  c: OpCase,
  values: number[][],
  dtype: "float32" | "float64",
  grad: boolean,
): Tensor[] {
  return c.inputs.map((spec, i) => {
    const v = values[i] as number[];
    if (spec.as.kind === "index") return tensor(v, spec.shape, { dtype: "int64" });
    if (spec.as.kind === "mask") return tensor(v, spec.shape, { dtype: "bool" });
    const t = tensor(v, spec.shape, { dtype });
    return grad ? t.setRequiresGrad(true) : t;
  });
}

export const isDifferentiable = (spec: InputSpec): boolean =>
  spec.as.kind !== "index" && spec.as.kind !== "mask";

// The benchmark model of shared notes/engine.md, written with calign's tensor API: a GPT-2-style
// pre-LN transformer (learned positions, LayerNorm, GELU-tanh MLP, causal attention, tied embeddings).
import { arange, F, Generator, keep, ones, randn, type Tensor, zeros } from "../src/engine/index.js";

export interface StackConfig {
  layers: number;
  dModel: number;
  heads: number;
  mlp: number;
  seq: number;
  batch: number;
  vocab: number;
}

export const ENGINE_MD_CONFIG: StackConfig = {
  layers: 4,
  dModel: 256,
  heads: 4,
  mlp: 1024,
  seq: 128,
  batch: 8,
  vocab: 8000,
};

interface Block {
  ln1w: Tensor;
  ln1b: Tensor;
  qkvw: Tensor;
  qkvb: Tensor;
  projw: Tensor;
  projb: Tensor;
  ln2w: Tensor;
  ln2b: Tensor;
  fcw: Tensor;
  fcb: Tensor;
  outw: Tensor;
  outb: Tensor;
}

export interface Stack {
  cfg: StackConfig;
  wte: Tensor;
  wpe: Tensor;
  blocks: Block[];
  lnfw: Tensor;
  lnfb: Tensor;
  params: Tensor[];
}

export function buildStack(cfg: StackConfig, seed: number): Stack {
  const g = new Generator(seed);
  const p = (t: Tensor) => keep(t.setRequiresGrad());
  const w = (...shape: number[]) => p(randn(shape, g).mul(0.02));
  const d = cfg.dModel;
  const blocks: Block[] = Array.from({ length: cfg.layers }, () => ({
    ln1w: p(ones([d])),
    ln1b: p(zeros([d])),
    qkvw: w(3 * d, d),
    qkvb: p(zeros([3 * d])),
    projw: w(d, d),
    projb: p(zeros([d])),
    ln2w: p(ones([d])),
    ln2b: p(zeros([d])),
    fcw: w(cfg.mlp, d),
    fcb: p(zeros([cfg.mlp])),
    outw: w(d, cfg.mlp),
    outb: p(zeros([d])),
  }));
  const stack = {
    cfg,
    wte: w(cfg.vocab, d),
    wpe: w(cfg.seq, d),
    blocks,
    lnfw: p(ones([d])),
    lnfb: p(zeros([d])),
  };
  const params = [stack.wte, stack.wpe, ...blocks.flatMap((b) => Object.values(b)), stack.lnfw, stack.lnfb];
  return { ...stack, params };
}

function attention(b: Block, x: Tensor, cfg: StackConfig, causal: Tensor): Tensor {
  const [B, T, C] = x.shape as [number, number, number];
  const hs = C / cfg.heads;
  const [q, k, v] = F.linear(x, b.qkvw, b.qkvb).split(C, 2) as [Tensor, Tensor, Tensor];
  const heads = (t: Tensor) => t.view(B, T, cfg.heads, hs).transpose(1, 2); // (B, nh, T, hs)
  const att = heads(q)
    .matmul(heads(k).transpose(-2, -1))
    .mul(1 / Math.sqrt(hs))
    .maskedFill(causal, Number.NEGATIVE_INFINITY)
    .softmax(-1);
  const y = att.matmul(heads(v)).transpose(1, 2).contiguous().view(B, T, C);
  return F.linear(y, b.projw, b.projb);
}

/** Mean next-token cross-entropy of ids (B, T+1). */
export function stackLoss(s: Stack, ids: Tensor): Tensor {
  const { cfg } = s;
  const T = cfg.seq;
  const input = ids.slice(1, 0, T);
  const target = ids.slice(1, 1, T + 1);
  const causal = ones([T, T], { dtype: "bool" }).triu(1);
  let x = F.embedding(s.wte, input).add(F.embedding(s.wpe, arange(0, T)));
  for (const b of s.blocks) {
    x = x.add(attention(b, F.layerNorm(x, [cfg.dModel], b.ln1w, b.ln1b), cfg, causal));
    const h = F.layerNorm(x, [cfg.dModel], b.ln2w, b.ln2b);
    x = x.add(F.linear(F.linear(h, b.fcw, b.fcb).gelu("tanh"), b.outw, b.outb));
  }
  const logits = F.linear(F.layerNorm(x, [cfg.dModel], s.lnfw, s.lnfb), s.wte); // tied embeddings
  return F.crossEntropy(logits.view(-1, cfg.vocab), target.reshape(-1));
}

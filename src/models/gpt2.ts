// GPT-2 as transformers' GPT2LMHeadModel computes it: learned positions, pre-LN blocks with
// LayerNorm, causal attention, GELU-tanh MLP, LM head tied to the token embedding. HF's Conv1D
// stores weights as (in, out), so projections are x @ W + b.
import { type DType, F, keep, type Tensor } from "../engine/index.js";
import { attend, biasColumns, type ScoreBias, scoreBias } from "./attention.js";
import { keyLength, stepPositionIds } from "./attention-mask.js";
import {
  type CausalLM,
  type Columns,
  type ForwardOptions,
  narrowColumns,
  type ParameterShapes,
  runBlocks,
  type TransformerBlock,
} from "./causal-lm.js";
import type { Gpt2Config } from "./gpt2-config.js";
import { KVCache } from "./kv-cache.js";
import { LinearLayer, type LinearLayers } from "./linear-layer.js";

type Params = ReadonlyMap<string, Tensor>;

function get(p: Params, name: string): Tensor {
  const t = p.get(name);
  if (t === undefined) throw new Error(`gpt2: parameter ${name} is missing`);
  return t;
}

/** HF's Conv1D (weight (in, out), with bias), registered under its module name. */
function conv1d(p: Params, name: string, into: Map<string, LinearLayer>): LinearLayer {
  const layer = new LinearLayer(get(p, `${name}.weight`), get(p, `${name}.bias`), true);
  into.set(name, layer);
  return layer;
}

class LayerNorm {
  private readonly w: Tensor;
  private readonly b: Tensor;
  constructor(
    p: Params,
    prefix: string,
    private readonly eps: number,
  ) {
    this.w = get(p, `${prefix}.weight`);
    this.b = get(p, `${prefix}.bias`);
  }
  forward(x: Tensor): Tensor {
    return F.layerNorm(x, [x.size(-1)], this.w, this.b, this.eps);
  }
}

interface Context {
  bias: ScoreBias;
  cache: KVCache | null;
}

class Attention {
  private readonly cAttn: LinearLayer;
  private readonly cProj: LinearLayer;
  constructor(
    private readonly c: Gpt2Config,
    private readonly layer: number,
    p: Params,
    prefix: string,
    linears: Map<string, LinearLayer>,
  ) {
    this.cAttn = conv1d(p, `${prefix}.c_attn`, linears);
    this.cProj = conv1d(p, `${prefix}.c_proj`, linears);
  }
  /** Queries, and so the output, only for `columns` of x when given: (B, T or length, C). */
  forward(x: Tensor, ctx: Context, columns: Columns | null): Tensor {
    const [B, T, C] = x.shape as [number, number, number];
    const nh = this.c.n_head;
    const heads = (t: Tensor) => t.view(B, T, nh, C / nh).transpose(1, 2); // (B, nh, T, hs)
    const [q, k0, v0] = this.cAttn.forward(x).split(C, 2).map(heads) as [Tensor, Tensor, Tensor];
    const [k, v] = ctx.cache === null ? [k0, v0] : ctx.cache.append(this.layer, k0, v0); // (B, nh, S, hs)
    const scale = this.c.scale_attn_by_inverse_layer_idx ? 1 / (this.layer + 1) : 1;
    const bias = biasColumns(ctx.bias, 1, T, columns);
    return this.cProj.forward(attend(narrowColumns(q, columns, 2), k, v, bias, scale));
  }
}

class Mlp {
  private readonly cFc: LinearLayer;
  private readonly cProj: LinearLayer;
  constructor(
    private readonly c: Gpt2Config,
    p: Params,
    prefix: string,
    linears: Map<string, LinearLayer>,
  ) {
    this.cFc = conv1d(p, `${prefix}.c_fc`, linears);
    this.cProj = conv1d(p, `${prefix}.c_proj`, linears);
  }
  forward(x: Tensor): Tensor {
    const approx = this.c.activation_function === "gelu" ? "none" : "tanh";
    return this.cProj.forward(this.cFc.forward(x).gelu(approx));
  }
}

class Block implements TransformerBlock<Context> {
  private readonly ln1: LayerNorm;
  private readonly attn: Attention;
  private readonly ln2: LayerNorm;
  private readonly mlp: Mlp;
  constructor(c: Gpt2Config, layer: number, p: Params, linears: Map<string, LinearLayer>) {
    const prefix = `transformer.h.${layer}`;
    this.ln1 = new LayerNorm(p, `${prefix}.ln_1`, c.layer_norm_epsilon);
    this.attn = new Attention(c, layer, p, `${prefix}.attn`, linears);
    this.ln2 = new LayerNorm(p, `${prefix}.ln_2`, c.layer_norm_epsilon);
    this.mlp = new Mlp(c, p, `${prefix}.mlp`, linears);
  }
  forward(x: Tensor, ctx: Context, columns: Columns | null): Tensor {
    const h = narrowColumns(x, columns).add(this.attn.forward(this.ln1.forward(x), ctx, columns));
    return h.add(this.mlp.forward(this.ln2.forward(h)));
  }
}

export class Gpt2 implements CausalLM {
  readonly modelType = "gpt2";
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly dtype: DType;
  readonly device: string;
  gradientCheckpointing = false;
  readonly linears: LinearLayers;
  private readonly wte: Tensor;
  private readonly wpe: Tensor;
  private readonly blocks: Block[];
  private readonly lnF: LayerNorm;

  /** Every parameter's shape, by HF name (GPT2LMHeadModel's, with the "transformer." prefix). */
  static parameterShapes(c: Gpt2Config): ParameterShapes {
    const { n_embd: C, n_inner: M } = c;
    const shapes: ParameterShapes = new Map([
      ["transformer.wte.weight", [c.vocab_size, C]],
      ["transformer.wpe.weight", [c.n_positions, C]],
    ]);
    for (let i = 0; i < c.n_layer; i++) {
      const h = `transformer.h.${i}`;
      for (const [name, shape] of [
        ["ln_1.weight", [C]],
        ["ln_1.bias", [C]],
        ["attn.c_attn.weight", [C, 3 * C]],
        ["attn.c_attn.bias", [3 * C]],
        ["attn.c_proj.weight", [C, C]],
        ["attn.c_proj.bias", [C]],
        ["ln_2.weight", [C]],
        ["ln_2.bias", [C]],
        ["mlp.c_fc.weight", [C, M]],
        ["mlp.c_fc.bias", [M]],
        ["mlp.c_proj.weight", [M, C]],
        ["mlp.c_proj.bias", [C]],
      ] as const)
        shapes.set(`${h}.${name}`, [...shape]);
    }
    shapes.set("transformer.ln_f.weight", [C]);
    shapes.set("transformer.ln_f.bias", [C]);
    return shapes;
  }

  constructor(
    readonly config: Gpt2Config,
    readonly params: ReadonlyMap<string, Tensor>,
    readonly eosTokenIds: readonly number[] = [],
  ) {
    for (const t of params.values()) keep(t);
    this.vocabSize = config.vocab_size;
    this.maxPositions = config.n_positions;
    this.wte = get(params, "transformer.wte.weight");
    this.wpe = get(params, "transformer.wpe.weight");
    this.dtype = this.wte.dtype;
    this.device = this.wte.device;
    const linears = new Map<string, LinearLayer>();
    this.blocks = Array.from({ length: config.n_layer }, (_, i) => new Block(config, i, params, linears));
    this.linears = linears;
    this.lnF = new LayerNorm(params, "transformer.ln_f", config.layer_norm_epsilon);
  }

  hidden(ids: Tensor, opts: ForwardOptions = {}): Tensor {
    const [B, T] = ids.shape as [number, number];
    const cache = opts.cache ?? null;
    const mask = opts.attentionMask ?? null;
    const S = keyLength("gpt2", T, cache?.length ?? 0, mask);
    if (S > this.maxPositions)
      throw new RangeError(`gpt2: ${S} positions exceed n_positions ${this.maxPositions}`);
    const pos = stepPositionIds(mask, B, T, S, this.device); // (B, T)
    const ctx: Context = {
      bias: scoreBias(mask, T, S, this.config.n_head, 1, this.dtype, this.device),
      cache,
    };
    const x = runBlocks(
      this.blocks,
      F.embedding(this.wte, ids).add(F.embedding(this.wpe, pos)),
      ctx,
      opts.columns,
      this.gradientCheckpointing,
    );
    cache?.advance(T);
    return this.lnF.forward(x);
  }

  logits(hidden: Tensor): Tensor {
    return F.linear(hidden, this.wte); // tied to the token embedding: (..., V)
  }

  forward(ids: Tensor, opts: ForwardOptions = {}): Tensor {
    return this.logits(this.hidden(ids, opts));
  }

  newCache(batch: number, maxLen: number): KVCache {
    const c = this.config;
    return KVCache.allocate(c.n_layer, batch, c.n_head, c.n_embd / c.n_head, maxLen, this.dtype, this.device);
  }

  dispose(): void {
    for (const t of this.params.values()) t.dispose();
  }
}

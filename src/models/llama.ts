// The Llama family (Llama 2/3, Mistral, Qwen2, SmolLM) as transformers' LlamaForCausalLM computes it:
// RMSNorm, rotary positions (with rope_scaling), grouped-query attention with optional q/k/v bias,
// SwiGLU MLP, tied or untied output. Parameters keep their Hugging Face names.
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
import { KVCache } from "./kv-cache.js";
import { LinearLayer, type LinearLayers } from "./linear-layer.js";
import { hasOutputBias, hasQkvBias, type LlamaConfig } from "./llama-config.js";
import { ropeInvFreq, ropeTables } from "./rope.js";

type Params = ReadonlyMap<string, Tensor>;

function get(p: Params, name: string): Tensor {
  const t = p.get(name);
  if (t === undefined) throw new Error(`llama: parameter ${name} is missing`);
  return t;
}

/** The projection `${name}.weight` (+ `.bias` when the config has one), registered under its module name. */
function linear(p: Params, name: string, hasBias: boolean, into: Map<string, LinearLayer>): LinearLayer {
  const layer = new LinearLayer(get(p, `${name}.weight`), hasBias ? get(p, `${name}.bias`) : null);
  into.set(name, layer);
  return layer;
}

/** What every block needs besides its input: rotary tables, the mask, the cache. */
interface Context {
  cos: Tensor; // (B, 1, T, hd)
  sin: Tensor;
  bias: ScoreBias;
  cache: KVCache | null;
}

class Attention {
  private readonly q: LinearLayer;
  private readonly k: LinearLayer;
  private readonly v: LinearLayer;
  private readonly o: LinearLayer;

  constructor(
    private readonly c: LlamaConfig,
    private readonly layer: number,
    p: Params,
    prefix: string,
    linears: Map<string, LinearLayer>,
  ) {
    const bias = hasQkvBias(c);
    this.q = linear(p, `${prefix}.q_proj`, bias, linears);
    this.k = linear(p, `${prefix}.k_proj`, bias, linears);
    this.v = linear(p, `${prefix}.v_proj`, bias, linears);
    this.o = linear(p, `${prefix}.o_proj`, hasOutputBias(c), linears);
  }

  /** Queries, and so the output, only for `columns` of x when given: (B, T or length, C). */
  forward(x: Tensor, ctx: Context, columns: Columns | null): Tensor {
    const [B, T] = x.shape as [number, number];
    const { num_attention_heads: nh, num_key_value_heads: nkv, head_dim: hd } = this.c;
    const heads = (t: Tensor, n: number) => t.view(B, t.size(1), n, hd).transpose(1, 2); // (B, n, T, hd)
    const rope = (t: Tensor, cols: Columns | null) =>
      F.applyRotary(t, narrowColumns(ctx.cos, cols, 2), narrowColumns(ctx.sin, cols, 2));
    const q = rope(heads(this.q.forward(narrowColumns(x, columns)), nh), columns);
    let k = rope(heads(this.k.forward(x), nkv), null);
    let v = heads(this.v.forward(x), nkv);
    if (ctx.cache !== null) [k, v] = ctx.cache.append(this.layer, k, v); // (B, nkv, S, hd)
    return this.o.forward(attend(q, k, v, biasColumns(ctx.bias, nh / nkv, T, columns)));
  }
}

class Mlp {
  private readonly gate: LinearLayer;
  private readonly up: LinearLayer;
  private readonly down: LinearLayer;

  constructor(p: Params, prefix: string, linears: Map<string, LinearLayer>) {
    this.gate = linear(p, `${prefix}.gate_proj`, false, linears);
    this.up = linear(p, `${prefix}.up_proj`, false, linears);
    this.down = linear(p, `${prefix}.down_proj`, false, linears);
  }

  forward(x: Tensor): Tensor {
    // SwiGLU: down(silu(gate(x)) * up(x))
    return this.down.forward(F.swiGlu(this.gate.forward(x), this.up.forward(x)));
  }
}

class Block implements TransformerBlock<Context> {
  private readonly inputNorm: Tensor;
  private readonly attn: Attention;
  private readonly postNorm: Tensor;
  private readonly mlp: Mlp;

  constructor(
    private readonly c: LlamaConfig,
    layer: number,
    p: Params,
    linears: Map<string, LinearLayer>,
  ) {
    const prefix = `model.layers.${layer}`;
    this.inputNorm = get(p, `${prefix}.input_layernorm.weight`);
    this.attn = new Attention(c, layer, p, `${prefix}.self_attn`, linears);
    this.postNorm = get(p, `${prefix}.post_attention_layernorm.weight`);
    this.mlp = new Mlp(p, `${prefix}.mlp`, linears);
  }

  forward(x: Tensor, ctx: Context, columns: Columns | null): Tensor {
    const eps = this.c.rms_norm_eps;
    const attended = this.attn.forward(F.rmsNorm(x, this.inputNorm, eps), ctx, columns);
    const h = narrowColumns(x, columns).add(attended);
    return h.add(this.mlp.forward(F.rmsNorm(h, this.postNorm, eps)));
  }
}

export class Llama implements CausalLM {
  readonly modelType: string;
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly dtype: DType;
  readonly device: string;
  gradientCheckpointing = false;
  readonly linears: LinearLayers;
  private readonly embed: Tensor;
  private readonly blocks: Block[];
  private readonly norm: Tensor;
  private readonly head: Tensor;
  /** Inverse RoPE frequencies, fixed unless the scaling is dynamic (then they depend on length). */
  private readonly invFreq: Float32Array;
  private readonly dynamicRope: boolean;

  /** Every parameter's shape, by HF name. */
  static parameterShapes(c: LlamaConfig): ParameterShapes {
    const { hidden_size: C, head_dim: hd, intermediate_size: M, vocab_size: V } = c;
    const qDim = c.num_attention_heads * hd;
    const kvDim = c.num_key_value_heads * hd;
    const shapes: ParameterShapes = new Map([["model.embed_tokens.weight", [V, C]]]);
    for (let i = 0; i < c.num_hidden_layers; i++) {
      const a = `model.layers.${i}.self_attn`;
      shapes.set(`model.layers.${i}.input_layernorm.weight`, [C]);
      shapes.set(`${a}.q_proj.weight`, [qDim, C]);
      shapes.set(`${a}.k_proj.weight`, [kvDim, C]);
      shapes.set(`${a}.v_proj.weight`, [kvDim, C]);
      if (hasQkvBias(c)) {
        shapes.set(`${a}.q_proj.bias`, [qDim]);
        shapes.set(`${a}.k_proj.bias`, [kvDim]);
        shapes.set(`${a}.v_proj.bias`, [kvDim]);
      }
      shapes.set(`${a}.o_proj.weight`, [C, qDim]);
      if (hasOutputBias(c)) shapes.set(`${a}.o_proj.bias`, [C]);
      shapes.set(`model.layers.${i}.post_attention_layernorm.weight`, [C]);
      shapes.set(`model.layers.${i}.mlp.gate_proj.weight`, [M, C]);
      shapes.set(`model.layers.${i}.mlp.up_proj.weight`, [M, C]);
      shapes.set(`model.layers.${i}.mlp.down_proj.weight`, [C, M]);
    }
    shapes.set("model.norm.weight", [C]);
    if (!c.tie_word_embeddings) shapes.set("lm_head.weight", [V, C]);
    return shapes;
  }

  constructor(
    readonly config: LlamaConfig,
    readonly params: ReadonlyMap<string, Tensor>,
    readonly eosTokenIds: readonly number[] = [],
  ) {
    for (const t of params.values()) keep(t);
    this.modelType = config.model_type;
    this.vocabSize = config.vocab_size;
    this.maxPositions = config.max_position_embeddings;
    this.embed = get(params, "model.embed_tokens.weight");
    this.dtype = this.embed.dtype;
    this.device = this.embed.device;
    const linears = new Map<string, LinearLayer>();
    this.blocks = Array.from(
      { length: config.num_hidden_layers },
      (_, i) => new Block(config, i, params, linears),
    );
    this.linears = linears;
    this.norm = get(params, "model.norm.weight");
    this.head = config.tie_word_embeddings ? this.embed : get(params, "lm_head.weight");
    this.invFreq = ropeInvFreq(config, 0);
    const scaling = config.rope_scaling;
    this.dynamicRope = (scaling?.rope_type ?? scaling?.type) === "dynamic";
  }

  hidden(ids: Tensor, opts: ForwardOptions = {}): Tensor {
    const [B, T] = ids.shape as [number, number];
    const cache = opts.cache ?? null;
    const mask = opts.attentionMask ?? null;
    const S = keyLength("llama", T, cache?.length ?? 0, mask);
    const pos = stepPositionIds(mask, B, T, S, this.device); // (B, T)
    const invFreq = this.dynamicRope ? ropeInvFreq(this.config, pos.amax([0, 1]).item() + 1) : this.invFreq;
    const [cos, sin] = ropeTables(invFreq, pos, this.dtype);
    const { num_attention_heads: nh, num_key_value_heads: nkv } = this.config;
    const bias = scoreBias(mask, T, S, nkv, nh / nkv, this.dtype, this.device);
    const ctx: Context = { cos, sin, bias, cache };
    const x = runBlocks(
      this.blocks,
      F.embedding(this.embed, ids),
      ctx,
      opts.columns,
      this.gradientCheckpointing,
    );
    cache?.advance(T);
    return F.rmsNorm(x, this.norm, this.config.rms_norm_eps);
  }

  logits(hidden: Tensor): Tensor {
    return F.linear(hidden, this.head); // (..., V)
  }

  forward(ids: Tensor, opts: ForwardOptions = {}): Tensor {
    return this.logits(this.hidden(ids, opts));
  }

  newCache(batch: number, maxLen: number): KVCache {
    const c = this.config;
    return KVCache.allocate(
      c.num_hidden_layers,
      batch,
      c.num_key_value_heads,
      c.head_dim,
      maxLen,
      this.dtype,
      this.device,
    );
  }

  dispose(): void {
    for (const t of this.params.values()) t.dispose();
  }
}

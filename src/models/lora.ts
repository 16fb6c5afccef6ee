// LoRA adapters (Hu et al. 2021) as PEFT's lora.Linear computes them: each targeted projection
// becomes y = base(x) + scaling · B(A(dropout(x))), A (r, in) kaiming-uniform(a=√5), B (out, r) zero,
// so a fresh adapter leaves the model unchanged. The base weights are frozen; only A and B train.
// Adapters can be disabled (the base model, e.g. DPO's reference), merged into the weights
// (W += scaling · B A) and unmerged, or removed.
import { type DType, F, Generator, keep, noGrad, rand, type Tensor, tidy, zeros } from "../engine/index.js";
import type { CausalLM } from "./causal-lm.js";
import type { LinearAdapter, LinearLayer } from "./linear-layer.js";
import { checkLoraOptions, type LoraOptions, loraScaling, selectTargets } from "./lora-config.js";

/** PEFT's tensor names: base_model.model.<module>.lora_A.weight / lora_B.weight. */
export const loraTensorName = (module: string, which: "A" | "B") =>
  `base_model.model.${module}.lora_${which}.weight`;

class LoraAdapter implements LinearAdapter {
  constructor(
    readonly layer: LinearLayer,
    readonly a: Tensor,
    readonly b: Tensor,
    private readonly owner: LoraModel,
  ) {}

  delta(x: Tensor): Tensor {
    const o = this.owner;
    const xa = x.dtype === this.a.dtype ? x : x.to(this.a.dtype);
    const dropped = F.dropout(xa, o.options.dropout, o.training, o.dropoutGenerator);
    const y = F.linear(F.linear(dropped, this.a), this.b).mul(o.scaling);
    return y.dtype === x.dtype ? y : y.to(x.dtype);
  }

  /** scaling · B A in the layer's weight layout ((in, out) for Conv1D) and dtype. */
  deltaWeight(): Tensor {
    const d = this.b.matmul(this.a).mul(this.owner.scaling);
    const laid = this.layer.fanInFanOut ? d.transpose(0, 1) : d;
    return laid.dtype === this.layer.weight.dtype ? laid : laid.to(this.layer.weight.dtype);
  }
}

type State = "active" | "disabled" | "merged" | "removed";

const attached = new WeakMap<CausalLM, LoraModel>();

export class LoraModel {
  readonly scaling: number;
  /** A and B of every adapter under PEFT's names, in model order: the trainable parameters. */
  readonly params: ReadonlyMap<string, Tensor>;
  /** Targeted module names, in model order. */
  readonly modules: readonly string[];
  /** Dropout applies only while training. */
  training = false;
  dropoutGenerator: Generator;
  private readonly adapters: LoraAdapter[];
  private state: State = "active";

  constructor(
    readonly model: CausalLM,
    readonly options: LoraOptions,
    seed: number,
  ) {
    checkLoraOptions(options);
    if (attached.has(model)) throw new Error("LoRA: this model already has adapters; remove() them first");
    this.scaling = loraScaling(options);
    this.modules = selectTargets([...model.linears.keys()], options.targetModules);
    this.dropoutGenerator = new Generator(seed);
    const g = new Generator(seed);
    // Adapters train in float32 even on a half-precision base (fp32 master weights).
    const dtype: DType = model.dtype === "float16" || model.dtype === "bfloat16" ? "float32" : model.dtype;
    this.adapters = tidy(() =>
      noGrad(() =>
        this.modules.map((name) => {
          const layer = model.linears.get(name) as LinearLayer;
          const bound = 1 / Math.sqrt(layer.inFeatures); // kaiming_uniform_(a=√5): gain √(1/3) · √(3 / fan_in)
          const device = layer.weight.device;
          const a = rand([options.r, layer.inFeatures], g, { dtype, device })
            .mul(2 * bound)
            .sub(bound);
          const b = zeros([layer.outFeatures, options.r], { dtype, device });
          return new LoraAdapter(layer, keep(a), keep(b), this);
        }),
      ),
    );
    const params = new Map<string, Tensor>();
    this.adapters.forEach((ad, i) => {
      const name = this.modules[i] as string;
      params.set(loraTensorName(name, "A"), ad.a);
      params.set(loraTensorName(name, "B"), ad.b);
    });
    this.params = params;
    for (const t of model.params.values()) t.setRequiresGrad(false);
    this.hook(true);
    attached.set(model, this);
  }

  /** True when some targeted layer is GPT-2's Conv1D (PEFT's fan_in_fan_out). */
  get fanInFanOut(): boolean {
    return this.adapters.some((a) => a.layer.fanInFanOut);
  }

  get merged(): boolean {
    return this.state === "merged";
  }

  /** Restarts the dropout masks from seed (trainers reseed per micro-batch for exact resume). */
  reseedDropout(seed: number): void {
    this.dropoutGenerator = new Generator(seed);
  }

  /** Runs fn on the base model: adapters off, then back on (also when fn throws or its promise rejects). */
  withDisabled<R>(fn: () => R): R {
    this.expect(["active", "disabled"], "disable");
    if (this.state === "disabled") return fn();
    this.hook(false);
    this.state = "disabled";
    const restore = () => {
      this.hook(true);
      this.state = "active";
    };
    let result: R;
    try {
      result = fn();
    } catch (err) {
      restore();
      throw err;
    }
    if (result instanceof Promise) return result.finally(restore) as R;
    restore();
    return result;
  }

  /** W += scaling · B A for every adapter; the adapters stop adding their term (it is in W now). */
  merge(): void {
    this.expect(["active"], "merge");
    this.updateWeights(1);
    this.hook(false);
    this.state = "merged";
  }

  /** What merge() would make of each targeted weight, as new tensors by parameter name; the model is untouched. */
  mergedWeights(): Map<string, Tensor> {
    this.expect(["active", "disabled"], "compute merged weights of");
    return noGrad(
      () =>
        new Map(
          this.adapters.map((a, i) => [`${this.modules[i]}.weight`, a.layer.weight.add(a.deltaWeight())]),
        ),
    );
  }

  /** Undoes merge(): W -= scaling · B A (equal to the old W up to float rounding), adapters back on. */
  unmerge(): void {
    this.expect(["merged"], "unmerge");
    this.updateWeights(-1);
    this.hook(true);
    this.state = "active";
  }

  /** Frees the adapters: a merged model keeps the merged weights (PEFT's merge_and_unload), else the base. */
  remove(): void {
    if (this.state === "removed") return;
    this.expect(["active", "merged"], "remove");
    this.hook(false);
    for (const t of this.params.values()) t.dispose();
    this.state = "removed";
    attached.delete(this.model);
  }

  private hook(on: boolean): void {
    for (const a of this.adapters) a.layer.adapter = on ? a : null;
  }

  private updateWeights(sign: 1 | -1): void {
    tidy(() =>
      noGrad(() => {
        for (const a of this.adapters) a.layer.weight.add_(a.deltaWeight(), sign);
      }),
    );
  }

  private expect(states: State[], action: string): void {
    if (!states.includes(this.state))
      throw new Error(
        `LoRA: cannot ${action} adapters that are ${this.state} (needs ${states.join(" or ")})`,
      );
  }
}

/** Adds LoRA adapters to model's targeted layers and freezes its base weights; seed draws A. */
export function attachLora(model: CausalLM, options: LoraOptions, seed = 0): LoraModel {
  return new LoraModel(model, options, seed);
}

/** The adapters attached to model, if any. */
export function loraOf(model: CausalLM): LoraModel | undefined {
  return attached.get(model);
}

/**
 * Runs fn on model with its LoRA adapters disabled, i.e. on the base model (DPO's reference); a
 * model without adapters runs as is. Throws when the adapters are merged into the weights.
 */
export function withAdaptersDisabled<R>(model: CausalLM, fn: () => R): R {
  const lora = attached.get(model);
  return lora === undefined ? fn() : lora.withDisabled(fn);
}

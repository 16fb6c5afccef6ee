// LoRA adapters on disk in PEFT's layout, so PeftModel.from_pretrained loads what calign trains and
// calign loads what PEFT trains: adapter_config.json (LoraConfig's fields) and
// adapter_model.safetensors holding base_model.model.<module>.lora_A.weight (r, in) and
// lora_B.weight (out, r).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { noGrad, tidy } from "../engine/index.js";
import { fromRawTensor, toRawTensor } from "../io/engine-tensor.js";
import { ModelFileError, SafetensorsFile, writeSafetensors } from "../io/index.js";
import { readJsonObject } from "../io/read-json.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import type { CausalLM } from "./causal-lm.js";
import { attachLora, type LoraModel } from "./lora.js";
import type { LoraOptions } from "./lora-config.js";
import { type HfDirExtras, saveHfDir } from "./save-model.js";

export const ADAPTER_CONFIG = "adapter_config.json";
export const ADAPTER_WEIGHTS = "adapter_model.safetensors";

type Json = Record<string, unknown>;

/** adapter_config.json as PEFT writes it for a LoRA on a causal LM (fields every PEFT >= 0.5 reads). */
export function adapterConfigJson(lora: LoraModel, baseModelNameOrPath: string | null): Json {
  const o = lora.options;
  return {
    peft_type: "LORA",
    task_type: "CAUSAL_LM",
    base_model_name_or_path: baseModelNameOrPath,
    revision: null,
    inference_mode: true,
    r: o.r,
    lora_alpha: o.alpha,
    lora_dropout: o.dropout,
    target_modules: typeof o.targetModules === "string" ? o.targetModules : savedTargets(lora),
    bias: "none",
    fan_in_fan_out: lora.fanInFanOut,
    init_lora_weights: true,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    // Written only when on: PEFT before 0.7 rejects the key.
    ...(o.useRslora ? { use_rslora: true } : {}),
  };
}

/** The list as given; "all-linear" expanded to the module kinds it chose, as PEFT saves it. */
function savedTargets(lora: LoraModel): string[] {
  const t = lora.options.targetModules as readonly string[];
  if (!(t.length === 1 && t[0] === "all-linear")) return [...t];
  return [...new Set(lora.modules.map((m) => m.slice(m.lastIndexOf(".") + 1)))];
}

/** Writes dir/adapter_config.json and dir/adapter_model.safetensors (each atomically). */
export function saveLoraAdapter(lora: LoraModel, dir: string, baseModelNameOrPath: string | null): void {
  mkdirSync(dir, { recursive: true });
  tidy(() =>
    writeSafetensors(
      join(dir, ADAPTER_WEIGHTS),
      [...lora.params].map(([name, t]) => toRawTensor(name, t.detach().contiguous())),
      { format: "pt" },
    ),
  );
  writeJsonAtomicSync(join(dir, ADAPTER_CONFIG), adapterConfigJson(lora, baseModelNameOrPath));
}

/** The model with the adapters merged into its weights, as a Hugging Face folder; the model is untouched. */
export function saveMergedHfDir(lora: LoraModel, dir: string, extras: HfDirExtras = {}): void {
  tidy(() => {
    const merged = lora.mergedWeights();
    const params = new Map([...lora.model.params].map(([n, t]) => [n, merged.get(n) ?? t]));
    saveHfDir(lora.model, dir, extras, params);
  });
}

export interface AdapterConfig {
  options: LoraOptions;
  baseModelNameOrPath: string | null;
}

/** Reads a PEFT adapter_config.json, rejecting LoRA variants calign does not compute. */
export function readAdapterConfig(dir: string): AdapterConfig {
  const path = join(dir, ADAPTER_CONFIG);
  const c = readJsonObject(path);
  const fail = (why: string): never => {
    throw new ModelFileError(path, why);
  };
  if (c.peft_type !== "LORA") fail(`peft_type ${JSON.stringify(c.peft_type)} is not LORA`);
  const unsupported: [string, unknown][] = [
    ["bias", c.bias !== undefined && c.bias !== "none"],
    ["modules_to_save", Array.isArray(c.modules_to_save) && c.modules_to_save.length > 0],
    ["layers_to_transform", c.layers_to_transform != null],
    ["rank_pattern", isNonEmptyObject(c.rank_pattern)],
    ["alpha_pattern", isNonEmptyObject(c.alpha_pattern)],
    ["use_dora", c.use_dora === true],
  ];
  for (const [key, bad] of unsupported) if (bad) fail(`${key} ${JSON.stringify(c[key])} is not supported`);
  const targets = c.target_modules;
  const targetModules =
    typeof targets === "string"
      ? targets
      : Array.isArray(targets) && targets.every((t) => typeof t === "string")
        ? (targets as string[])
        : fail("target_modules must be a list of names or a regular expression");
  if (typeof c.r !== "number" || typeof c.lora_alpha !== "number") fail("r and lora_alpha must be numbers");
  return {
    options: {
      r: c.r as number,
      alpha: c.lora_alpha as number,
      dropout: typeof c.lora_dropout === "number" ? c.lora_dropout : 0,
      targetModules,
      useRslora: c.use_rslora === true,
    },
    baseModelNameOrPath: typeof c.base_model_name_or_path === "string" ? c.base_model_name_or_path : null,
  };
}

function isNonEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === "object" && Object.keys(v).length > 0;
}

/** Attaches the adapter saved in dir (PEFT layout) to model, checking every tensor's name and shape. */
export function loadLoraAdapter(model: CausalLM, dir: string): LoraModel {
  const { options } = readAdapterConfig(dir);
  const path = join(dir, ADAPTER_WEIGHTS);
  const file = SafetensorsFile.open(path);
  const lora = attachLora(model, options);
  try {
    const extra = file
      .list()
      .map((t) => t.name)
      .filter((n) => !lora.params.has(n));
    if (extra.length > 0)
      throw new ModelFileError(
        path,
        `tensors the adapter config does not target: ${extra.slice(0, 5).join(", ")}`,
      );
    tidy(() =>
      noGrad(() => {
        for (const [name, t] of lora.params) {
          if (!file.has(name)) throw new ModelFileError(path, "missing from the adapter", name);
          const raw = file.read(name);
          if (raw.shape.join() !== t.shape.join())
            throw new ModelFileError(path, `shape [${raw.shape}] where the model needs [${t.shape}]`, name);
          t.copy_(fromRawTensor(raw));
        }
      }),
    );
  } catch (err) {
    lora.remove();
    throw err;
  } finally {
    file.close();
  }
  return lora;
}

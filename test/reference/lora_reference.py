# Reference LoRA forward, gradients and merge, written from PEFT's definitions (peft/tuners/lora:
# LoraConfig, check_target_module_exists, Linear.forward and get_delta_weight) on top of the
# transformers-faithful models of causal_lm_reference.py. It reads the adapter from PEFT's files, so it
# also checks calign's layout: adapter_config.json and base_model.model.<module>.lora_{A,B}.weight.
# stdin: JSON list of jobs {config, weights, adapter (a folder), ids, mask}; stdout per job: logits,
# the loss (mean next-token NLL over real tokens), the gradient of every adapter tensor, the merged
# weights, and the targeted modules.
import json, math, os, re, sys
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from causal_lm_reference import gpt2, llama, read_safetensors  # noqa: E402

torch.set_num_threads(1)
PREFIX = "base_model.model."


def targeted(cfg, key):
    # PEFT's check_target_module_exists: a regex string must match the whole name; a list entry
    # matches the name itself or a "."-separated suffix of it.
    t = cfg["target_modules"]
    if isinstance(t, str):
        return re.fullmatch(t, key) is not None
    return key in t or any(key.endswith("." + k) for k in t)


def run(job):
    c = job["config"]
    cfg = json.load(open(os.path.join(job["adapter"], "adapter_config.json")))
    assert cfg["peft_type"] == "LORA" and cfg["task_type"] == "CAUSAL_LM" and cfg["bias"] == "none"
    r, alpha = cfg["r"], cfg["lora_alpha"]
    scaling = alpha / math.sqrt(r) if cfg.get("use_rslora", False) else alpha / r
    w = read_safetensors(job["weights"])
    ad = {k: v.requires_grad_() for k, v in read_safetensors(os.path.join(job["adapter"], "adapter_model.safetensors")).items()}
    # The blocks' projections: 2-D weights inside a layer (embeddings and the LM head are outside).
    linear = [k[: -len(".weight")] for k, v in w.items() if k.endswith(".weight") and v.ndim == 2 and (".layers." in k or ".h." in k)]
    modules = sorted(m for m in linear if targeted(cfg, m))

    def extra(x, name):
        a, b = ad.get(PREFIX + name + ".lora_A.weight"), ad.get(PREFIX + name + ".lora_B.weight")
        if a is None:
            return 0
        return F.linear(F.linear(x, a), b) * scaling  # lora_B(lora_A(dropout(x))) * scaling, dropout off

    ids = torch.tensor(job["ids"], dtype=torch.int64)
    mask = torch.tensor(job["mask"], dtype=torch.int64)
    logits = (gpt2 if c["model_type"] == "gpt2" else llama)(c, w, ids, mask, extra)
    logp = F.log_softmax(logits[:, :-1], -1).gather(2, ids[:, 1:, None])[..., 0]
    real = (mask[:, :-1] * mask[:, 1:]).float()
    loss = -(logp * real).sum() / real.sum()
    loss.backward()
    merged = {}
    with torch.no_grad():
        for m in modules:
            delta = (ad[PREFIX + m + ".lora_B.weight"] @ ad[PREFIX + m + ".lora_A.weight"]) * scaling
            merged[m] = (w[m + ".weight"] + (delta.T if cfg["fan_in_fan_out"] else delta)).reshape(-1).tolist()
    return {
        "logits": logits.detach().reshape(-1).tolist(),
        "loss": loss.item(),
        "grads": {k: v.grad.reshape(-1).tolist() for k, v in ad.items()},
        "merged": merged,
        "modules": modules,
    }


print(json.dumps([run(job) for job in json.load(sys.stdin)]))

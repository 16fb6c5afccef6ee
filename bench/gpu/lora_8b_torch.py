# PyTorch's side of bench/gpu/lora-8b.ts (bench/gpu/run.sh): the same Llama-3-8B-shaped model with random
# bfloat16 weights, LoRA r 16 (alpha 32, no dropout) on q/k/v/o with float32 adapters, AdamW (lr 1e-5,
# betas 0.9/0.999, eps 1e-8, no weight decay, gradient norm clipped at 1), attention through
# F.scaled_dot_product_attention (causal, grouped key/value heads as calign passes them), and the same
# runs on the same token ids: SFT on 8 × 1024 tokens (loss on the completion after a 64-token prompt),
# the same with gradient checkpointing per decoder block, and the CAT step (DPO sigmoid, β 0.1, + λ 1 ×
# the mean NLL of the chosen tokens; reference log-probs computed once before, with the adapters' B at
# zero) on 4 chosen/rejected pairs with gradient checkpointing; and batched scoring (no grad) of those 8
# sequences, whose sums are the CAT step's reference. Log-softmax runs in float32 on the
# completion positions only, as calign's completionLogprobs. No autocast: the weights are bfloat16
# already and PEFT, like calign, runs the adapters in float32 and casts their output back.
# LoRA through `peft` when it imports, else the same adapter in plain PyTorch; the output says which.
# Prints per run one JSON line like lora-8b.ts (median of the timed steps, tokens/s, peak GPU memory of
# torch.cuda.max_memory_allocated in GB, null on the CPU).
#   python3 lora_8b_torch.py DEVICE [tiny]
import json, math, statistics, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

device = sys.argv[1]
tiny = len(sys.argv) > 2 and sys.argv[2] == "tiny"
# bench/gpu/shapes.ts: LLAMA3_8B and tiny(LLAMA3_8B).
V, C, M, L, nh, nkv = (512, 64, 128, 2, 8, 2) if tiny else (128256, 4096, 14336, 32, 32, 8)
THETA, EPS = 500000.0, 1e-5
hd = C // nh
SEQ = 64 if tiny else 1024
PROMPT = SEQ // 16
STEPS = 4  # the first is warm-up
dt = torch.bfloat16
cuda = device.startswith("cuda")
GQA = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]) >= (2, 5)
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj"]
R, ALPHA = 16, 32


def row(r):
    return [3 + ((r * 7919 + i * 104729) % (V - 3)) for i in range(SEQ)]


def rms(x, weight):
    x32 = x.float()
    return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + EPS)).to(x.dtype) * weight


def rot(x):
    return torch.cat((-x[..., hd // 2:], x[..., : hd // 2]), -1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(C, nh * hd, bias=False)
        self.k_proj = nn.Linear(C, nkv * hd, bias=False)
        self.v_proj = nn.Linear(C, nkv * hd, bias=False)
        self.o_proj = nn.Linear(nh * hd, C, bias=False)

    def forward(self, h, cos, sin):
        B, T, _ = h.shape
        q = self.q_proj(h).view(B, T, nh, hd).transpose(1, 2)
        k = self.k_proj(h).view(B, T, nkv, hd).transpose(1, 2)
        v = self.v_proj(h).view(B, T, nkv, hd).transpose(1, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        if GQA:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        else:
            k, v = k.repeat_interleave(nh // nkv, 1), v.repeat_interleave(nh // nkv, 1)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.o_proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = nn.Parameter(torch.ones(C))
        self.self_attn = Attention()
        self.post_attention_layernorm = nn.Parameter(torch.ones(C))
        self.gate_proj = nn.Linear(C, M, bias=False)
        self.up_proj = nn.Linear(C, M, bias=False)
        self.down_proj = nn.Linear(M, C, bias=False)

    def forward(self, x, cos, sin):
        x = x + self.self_attn(rms(x, self.input_layernorm), cos, sin)
        h = rms(x, self.post_attention_layernorm)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Llama(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed_tokens = nn.Embedding(V, C)
        self.layers = nn.ModuleList(Block() for _ in range(L))
        self.norm = nn.Parameter(torch.ones(C))
        self.lm_head = nn.Linear(C, V, bias=False)
        self.gradient_checkpointing = False

    def hidden(self, ids):
        T = ids.shape[1]
        inv = 1.0 / (THETA ** (torch.arange(0, hd, 2, device=ids.device).float() / hd))
        f = torch.arange(T, device=ids.device).float()[:, None] * inv[None]
        emb = torch.cat((f, f), -1)
        cos, sin = emb.cos().to(dt), emb.sin().to(dt)
        x = self.embed_tokens(ids)
        for block in self.layers:
            if self.gradient_checkpointing and torch.is_grad_enabled():
                x = checkpoint(block, x, cos, sin, use_reentrant=False)
            else:
                x = block(x, cos, sin)
        return rms(x, self.norm)


class LoraLinear(nn.Module):
    """PEFT's LoRA layer without PEFT: y = base(x) + scaling · B(A(x)), adapters in float32."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, R, bias=False, device=base.weight.device, dtype=torch.float32)
        self.lora_B = nn.Linear(R, base.out_features, bias=False, device=base.weight.device, dtype=torch.float32)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)

    def forward(self, x):
        return self.base(x) + (self.lora_B(self.lora_A(x.float())) * (ALPHA / R)).to(x.dtype)


def attach_lora(model):
    """LoRA on q/k/v/o: PEFT's when it imports; the trainable parameters and which one was used."""
    try:
        from peft import LoraConfig, get_peft_model
    except ImportError:
        for block in model.layers:
            for name in TARGETS:
                setattr(block.self_attn, name, LoraLinear(getattr(block.self_attn, name)))
        return [p for n, p in model.named_parameters() if "lora_" in n], "plain PyTorch LoRA (no peft)"
    import peft

    wrapped = get_peft_model(model, LoraConfig(r=R, lora_alpha=ALPHA, lora_dropout=0.0, target_modules=TARGETS))
    lora = [p for n, p in wrapped.named_parameters() if "lora_" in n]
    for p in lora:
        p.data = p.data.float()
    return lora, f"peft {peft.__version__}"


torch.manual_seed(0)
# Built in bfloat16 on the device: never a float32 copy of 8B weights.
torch.set_default_dtype(dt)
with torch.device(device):
    model = Llama()
torch.set_default_dtype(torch.float32)
with torch.no_grad():
    for p in model.parameters():
        p.requires_grad_(False)
        if p.dim() > 1:
            p.normal_(0.0, 0.02)
lora, lora_impl = attach_lora(model)
print(json.dumps({"torch": torch.__version__, "lora": lora_impl, "adapters": sum(p.numel() for p in lora)}), flush=True)


def completion_logprobs(ids):
    """(B, SEQ - PROMPT) float32 log p of each completion token (no padding: every row is SEQ long)."""
    h = model.hidden(ids)[:, PROMPT - 1:-1]
    logp = model.lm_head(h).float().log_softmax(-1)
    return logp.gather(2, ids[:, PROMPT:, None]).squeeze(-1)


def sync():
    if cuda:
        torch.cuda.synchronize(device)


def attempt(name, fn):
    """A run that fails (out of GPU memory, say) is reported as such, and the later ones still run."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any failure of one run is that run's result
        print(json.dumps({"run": name, "error": str(e).splitlines()[0] if str(e) else type(e).__name__}), flush=True)
        if cuda:
            torch.cuda.empty_cache()


def run(name, loss_fn, sequences, checkpointing):
    model.gradient_checkpointing = checkpointing
    opt = torch.optim.AdamW(lora, lr=1e-5, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    if cuda:
        torch.cuda.reset_peak_memory_stats(device)
    ms = []
    for step in range(STEPS):
        t0 = time.perf_counter()
        loss = loss_fn()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(lora, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        loss.item()
        sync()
        if step > 0:
            ms.append((time.perf_counter() - t0) * 1000)
    del opt
    report(name, ms, sequences)


def report(name, ms, sequences):
    step_ms = statistics.median(ms)
    peak = torch.cuda.max_memory_allocated(device) / 1e9 if cuda else None
    line = {"run": name, "stepMs": round(step_ms), "tokensPerSecond": round(sequences * SEQ * 1000 / step_ms), "peakGb": peak}
    print(json.dumps(line), flush=True)


sft_ids = torch.tensor([row(r) for r in range(8)], device=device)
n_completion = 8 * (SEQ - PROMPT)
attempt("lora-sft", lambda: run("lora-sft", lambda: completion_logprobs(sft_ids).sum().neg() / n_completion, 8, False))
attempt(
    "lora-sft-checkpointing",
    lambda: run("lora-sft-checkpointing", lambda: completion_logprobs(sft_ids).sum().neg() / n_completion, 8, True),
)

# Pair i: rows 2i (chosen) and 2i + 1 (rejected), as lora-8b.ts lays out each example's responses.
pair_ids = torch.tensor([row(r) for r in range(8)], device=device)
ref = None


def score():
    global ref
    if cuda:
        torch.cuda.reset_peak_memory_stats(device)
    ms = []
    with torch.no_grad():
        for step in range(STEPS):
            t0 = time.perf_counter()
            ref = completion_logprobs(pair_ids).sum(-1)
            ref.tolist()
            if step > 0:
                ms.append((time.perf_counter() - t0) * 1000)
    report("score", ms, 8)


attempt("score", score)


def cat_loss(beta=0.1, sft_weight=1.0, pairs=4):
    sums = completion_logprobs(pair_ids)
    policy = sums.sum(-1)
    logits = (policy[0::2] - ref[0::2]) - (policy[1::2] - ref[1::2])
    preference = -F.logsigmoid(beta * logits).sum()
    sft = -sums[0::2].sum() / (pairs * (SEQ - PROMPT))
    return (preference + sft * sft_weight * pairs) / pairs


def cat():
    if ref is None:
        raise RuntimeError("no reference log-probs: scoring failed")
    run("lora-cat-checkpointing", cat_loss, 8, True)


attempt("lora-cat-checkpointing", cat)

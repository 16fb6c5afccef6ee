# Reference forward passes for calign's model parity tests, written from transformers' definitions
# of LlamaForCausalLM / Qwen2ForCausalLM and GPT2LMHeadModel (eager attention) in plain PyTorch.
# stdin: JSON list of jobs {config, weights (a safetensors path), ids, mask}; stdout: logits per job.
# `extra(x, module_name)`, when given, returns a term added to a linear layer's output (LoRA's test).
import json, math, struct, sys
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        buf = bytearray(data[8 + n + a:8 + n + b])
        out[name] = torch.frombuffer(buf, dtype=DTYPES[info["dtype"]]).reshape(info["shape"]).float()
    return out


def positions_and_mask(mask):
    B, T = mask.shape
    pos = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    allowed = causal[None, None] & (mask[:, None, None, :] == 1)
    bias = torch.zeros(B, 1, T, T).masked_fill(~allowed, torch.finfo(torch.float32).min)
    return pos, bias


def attention(q, k, v, bias, scale):
    att = (q @ k.transpose(-2, -1)) * scale + bias
    att = att.softmax(-1, dtype=torch.float32)
    B, nh, T, hd = q.shape
    return (att @ v).transpose(1, 2).reshape(B, T, nh * hd)


def inv_freq(c, seq_len):
    dim = c.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]
    base = c.get("rope_theta", 10000.0)
    s = c.get("rope_scaling") or {}
    kind = s.get("rope_type", s.get("type", "default"))
    maxpos = c.get("max_position_embeddings", 2048)
    if kind == "dynamic" and seq_len > maxpos:
        f = s["factor"]
        base = base * ((f * seq_len / maxpos) - (f - 1)) ** (dim / (dim - 2))
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    if kind == "linear":
        inv = inv / s["factor"]
    elif kind == "llama3":
        factor, lo, hi, old = s["factor"], s["low_freq_factor"], s["high_freq_factor"], s["original_max_position_embeddings"]
        wavelen = 2 * math.pi / inv
        llama = torch.where(wavelen > old / lo, inv / factor, inv)
        smooth = (old / wavelen - lo) / (hi - lo)
        smoothed = (1 - smooth) * llama / factor + smooth * llama
        medium = ~(wavelen < old / hi) * ~(wavelen > old / lo)
        inv = torch.where(medium, smoothed, llama)
    return inv


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def llama(c, w, ids, mask, extra=None):
    B, T = ids.shape
    nh, nkv, C = c["num_attention_heads"], c.get("num_key_value_heads") or c["num_attention_heads"], c["hidden_size"]
    hd = c.get("head_dim") or C // nh
    eps = c.get("rms_norm_eps", 1e-6)
    pos, bias = positions_and_mask(mask)
    freqs = pos[:, :, None].float() * inv_freq(c, int(pos.max()) + 1)[None, None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]

    def rms(x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))

    def lin(x, name):
        y = F.linear(x, w[name + ".weight"], w.get(name + ".bias"))
        return y if extra is None else y + extra(x, name)

    x = F.embedding(ids, w["model.embed_tokens.weight"])
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms(x, w[p + "input_layernorm.weight"])
        q = lin(h, p + "self_attn.q_proj").view(B, T, nh, hd).transpose(1, 2)
        k = lin(h, p + "self_attn.k_proj").view(B, T, nkv, hd).transpose(1, 2)
        v = lin(h, p + "self_attn.v_proj").view(B, T, nkv, hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k = k[:, :, None].expand(B, nkv, nh // nkv, T, hd).reshape(B, nh, T, hd)
        v = v[:, :, None].expand(B, nkv, nh // nkv, T, hd).reshape(B, nh, T, hd)
        x = x + lin(attention(q, k, v, bias, hd ** -0.5), p + "self_attn.o_proj")
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + lin(F.silu(lin(h, p + "mlp.gate_proj")) * lin(h, p + "mlp.up_proj"), p + "mlp.down_proj")
    x = rms(x, w["model.norm.weight"])
    return F.linear(x, w.get("lm_head.weight", w["model.embed_tokens.weight"]))


def gpt2(c, w, ids, mask, extra=None):
    B, T = ids.shape
    C, nh = c["n_embd"], c["n_head"]
    eps = c.get("layer_norm_epsilon", 1e-5)
    approx = "none" if c.get("activation_function") == "gelu" else "tanh"
    pos, bias = positions_and_mask(mask)
    t = lambda n: w.get("transformer." + n, w.get(n))
    def conv(x, n):
        y = torch.addmm(t(n + ".bias"), x.reshape(-1, x.shape[-1]), t(n + ".weight")).view(*x.shape[:-1], -1)
        return y if extra is None else y + extra(x, "transformer." + n)
    ln = lambda x, n: F.layer_norm(x, (C,), t(n + ".weight"), t(n + ".bias"), eps)
    x = F.embedding(ids, t("wte.weight")) + F.embedding(pos, t("wpe.weight"))
    for i in range(c["n_layer"]):
        p = "h.%d." % i
        q, k, v = conv(ln(x, p + "ln_1"), p + "attn.c_attn").split(C, dim=2)
        heads = lambda z: z.view(B, T, nh, C // nh).transpose(1, 2)
        scale = (C // nh) ** -0.5 / ((i + 1) if c.get("scale_attn_by_inverse_layer_idx") else 1)
        x = x + conv(attention(heads(q), heads(k), heads(v), bias, scale), p + "attn.c_proj")
        x = x + conv(F.gelu(conv(ln(x, p + "ln_2"), p + "mlp.c_fc"), approximate=approx), p + "mlp.c_proj")
    return F.linear(ln(x, "ln_f"), t("wte.weight"))


if __name__ == "__main__":
    out = []
    for job in json.load(sys.stdin):
        c = job["config"]
        w = read_safetensors(job["weights"])
        ids = torch.tensor(job["ids"], dtype=torch.int64)
        mask = torch.tensor(job["mask"], dtype=torch.int64)
        with torch.no_grad():
            logits = (gpt2 if c["model_type"] == "gpt2" else llama)(c, w, ids, mask)
        out.append(logits.reshape(-1).tolist())
    print(json.dumps(out))

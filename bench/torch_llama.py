# The Llama forward pass the PyTorch side of the benchmarks runs: the same computation as calign's
# src/models/llama.ts (RMSNorm, RoPE, grouped-query attention, SwiGLU), on weights read from a
# Hugging Face folder's model.safetensors. Shared by generate_torch.py and train_torch.py.
import json, math, struct
import torch
import torch.nn.functional as F


def load(folder):
    """The config and the weights (float32 leaf tensors) of a model folder."""
    c = json.load(open(folder + "/config.json"))
    data = open(folder + "/model.safetensors", "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    w = {k: torch.frombuffer(bytearray(data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]]), dtype=torch.float32).reshape(v["shape"])
         for k, v in json.loads(data[8:8 + n]).items() if k != "__metadata__"}
    return c, w


def make_hidden(c, w, lora=None, fused=False):
    """hidden(ids, past) -> final normed hidden states; past is a list of per-layer (k, v) or None.
    lora: {module name: (A, B, scaling)} adds scaling * x A^T B^T to that projection (PEFT's LoRA).
    fused: attention through F.scaled_dot_product_attention (the GPU runs, where calign fuses it too).
    Positions, RoPE tables and masks are made on the weights' device."""
    nh, nkv, C, L = c["num_attention_heads"], c["num_key_value_heads"], c["hidden_size"], c["num_hidden_layers"]
    hd = C // nh
    dev = w["model.embed_tokens.weight"].device
    inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2, device=dev).float() / hd))

    def rms(x, weight):
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + c["rms_norm_eps"]))

    def lin(x, module):
        y = F.linear(x, w[module + ".weight"])
        if lora is not None and module in lora:
            a, b, scale = lora[module]
            y = y + F.linear(F.linear(x, a), b) * scale
        return y

    def rot(x):
        return torch.cat((-x[..., hd // 2:], x[..., : hd // 2]), -1)

    def hidden(ids, past, mask=None):
        B, T = ids.shape
        P = past[0][0].shape[2] if past else 0
        pos = torch.arange(P, P + T, device=dev)
        f = pos[:, None].float() * inv[None]
        emb = torch.cat((f, f), -1)
        dt = w["model.embed_tokens.weight"].dtype
        cos, sin = emb.cos().to(dt), emb.sin().to(dt)
        x = F.embedding(ids, w["model.embed_tokens.weight"])
        for i in range(L):
            p = "model.layers.%d." % i
            h = rms(x, w[p + "input_layernorm.weight"])
            q = lin(h, p + "self_attn.q_proj").view(B, T, nh, hd).transpose(1, 2)
            k = lin(h, p + "self_attn.k_proj").view(B, T, nkv, hd).transpose(1, 2)
            v = lin(h, p + "self_attn.v_proj").view(B, T, nkv, hd).transpose(1, 2)
            q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
            if past is not None:
                if len(past) > i:
                    k, v = torch.cat((past[i][0], k), 2), torch.cat((past[i][1], v), 2)
                    past[i] = (k, v)
                else:
                    past.append((k, v))
            k, v = k.repeat_interleave(nh // nkv, 1), v.repeat_interleave(nh // nkv, 1)
            if fused:
                # Greedy decoding feeds either the whole prompt (no past) or one token: causal or no mask.
                y = F.scaled_dot_product_attention(q, k, v, is_causal=T > 1)
            else:
                att = q @ k.transpose(-2, -1) / math.sqrt(hd)
                if T > 1:
                    S = k.shape[2]
                    blocked = torch.ones(T, S, dtype=torch.bool, device=dev).triu(S - T + 1)
                    att = att.masked_fill(blocked, torch.finfo(att.dtype).min)
                y = att.softmax(-1) @ v
            y = y.transpose(1, 2).reshape(B, T, C)
            x = x + lin(y, p + "self_attn.o_proj")
            h = rms(x, w[p + "post_attention_layernorm.weight"])
            x = x + F.linear(F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) * F.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
        return rms(x, w["model.norm.weight"])

    return hidden


def head_of(w):
    return w.get("lm_head.weight", w["model.embed_tokens.weight"])

# One benchmark process for PyTorch: the same Llama computation as calign's bench/generate.child.ts on
# the same weights (a safetensors file): KV-cached greedy generation, or batched teacher-forced scoring
# (log-softmax in float32 over the completion positions). Prints per-repeat milliseconds as JSON.
import json, math, struct, sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(1)  # as calign: OpenBLAS uses the cores, torch's own pool would oversubscribe
folder, mode, warmup, timed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
work = json.loads(sys.argv[5])
c = json.load(open(folder + "/config.json"))
data = open(folder + "/model.safetensors", "rb").read()
(n,) = struct.unpack("<Q", data[:8])
w = {k: torch.frombuffer(bytearray(data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]]), dtype=torch.float32).reshape(v["shape"])
     for k, v in json.loads(data[8:8 + n]).items() if k != "__metadata__"}
nh, nkv, C, L = c["num_attention_heads"], c["num_key_value_heads"], c["hidden_size"], c["num_hidden_layers"]
hd = C // nh
inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd))
head = w.get("lm_head.weight", w["model.embed_tokens.weight"])


def rms(x, weight):
    return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + c["rms_norm_eps"]))


def rot(x):
    return torch.cat((-x[..., hd // 2:], x[..., : hd // 2]), -1)


def hidden(ids, past, mask=None):
    B, T = ids.shape
    P = past[0][0].shape[2] if past else 0
    pos = torch.arange(P, P + T)
    f = pos[:, None].float() * inv[None]
    emb = torch.cat((f, f), -1)
    cos, sin = emb.cos(), emb.sin()
    x = F.embedding(ids, w["model.embed_tokens.weight"])
    for i in range(L):
        p = "model.layers.%d." % i
        h = rms(x, w[p + "input_layernorm.weight"])
        q = F.linear(h, w[p + "self_attn.q_proj.weight"]).view(B, T, nh, hd).transpose(1, 2)
        k = F.linear(h, w[p + "self_attn.k_proj.weight"]).view(B, T, nkv, hd).transpose(1, 2)
        v = F.linear(h, w[p + "self_attn.v_proj.weight"]).view(B, T, nkv, hd).transpose(1, 2)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        if past is not None:
            if len(past) > i:
                k, v = torch.cat((past[i][0], k), 2), torch.cat((past[i][1], v), 2)
                past[i] = (k, v)
            else:
                past.append((k, v))
        k, v = k.repeat_interleave(nh // nkv, 1), v.repeat_interleave(nh // nkv, 1)
        att = q @ k.transpose(-2, -1) / math.sqrt(hd)
        if T > 1:
            S = k.shape[2]
            blocked = torch.ones(T, S, dtype=torch.bool).triu(S - T + 1)
            att = att.masked_fill(blocked, torch.finfo(torch.float32).min)
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)
        x = x + F.linear(y, w[p + "self_attn.o_proj.weight"])
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        x = x + F.linear(F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) * F.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
    return rms(x, w["model.norm.weight"])


def run_generate():
    ids = torch.tensor([work["prompt"]])
    past = []
    out = []
    for _ in range(work["new"]):
        logits = F.linear(hidden(ids, past)[:, -1], head)
        nxt = int(logits.argmax(-1))
        out.append(nxt)
        ids = torch.tensor([[nxt]])
    return out


def run_score():
    ids = torch.tensor(work["ids"])
    P = work["promptLen"]
    h = hidden(ids, None)[:, P - 1:-1]
    logp = F.linear(h, head).float().log_softmax(-1)
    return logp.gather(2, ids[:, P:, None]).squeeze(-1).sum().item()


ms = []
result = None
with torch.no_grad():
    for i in range(warmup + timed):
        t0 = time.perf_counter()
        result = run_generate() if mode == "generate" else run_score()
        if i >= warmup:
            ms.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": ms, "result": result}))

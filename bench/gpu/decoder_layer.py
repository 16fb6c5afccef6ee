# PyTorch's side of the decoder-layer benchmark (bench/gpu/run.sh): the computation of
# bench/gpu/decoder-layer.ts (embedding, one Llama decoder layer, final RMSNorm; bfloat16; forward +
# backward, every weight trained), with attention either in eager math (scores, additive causal mask,
# softmax, as calign's grouped path) or F.scaled_dot_product_attention(is_causal=True). Prints the
# median milliseconds of the timed steps as JSON.
#   python3 decoder_layer.py DEVICE T eager|sdpa [tiny]
import json, math, statistics, sys, time
import torch
import torch.nn.functional as F

device, T, attention = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tiny = len(sys.argv) > 4 and sys.argv[4] == "tiny"
V, C, M, nh = (8, 64, 128, 8) if tiny else (8, 4096, 11008, 32)
hd = C // nh
dt = torch.bfloat16
g = torch.Generator().manual_seed(0)


def param(*shape, norm=False):
    x = torch.randn(*shape, generator=g) * 0.02 + (1 if norm else 0)
    return x.to(device, dt).requires_grad_()


w = {k: param(*s) for k, s in {"embed": (V, C), "q": (C, C), "k": (C, C), "v": (C, C), "o": (C, C),
                                "gate": (M, C), "up": (M, C), "down": (C, M)}.items()}
w.update({k: param(C, norm=True) for k in ("in_norm", "post_norm", "norm")})
ids = torch.randint(0, V, (1, T), generator=g).to(device)
out_grad = torch.randn(1, T, C, generator=g).to(device, dt)
inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
f = torch.arange(T).float()[:, None] * inv[None]
cos, sin = (t.to(device, dt) for t in (torch.cat((f, f), -1).cos(), torch.cat((f, f), -1).sin()))
mask = torch.zeros(T, T).masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), torch.finfo(dt).min).to(device, dt)


def rms(x, weight):
    x32 = x.float()
    return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + 1e-5)).to(dt) * weight


def rot(x):
    return torch.cat((-x[..., hd // 2:], x[..., : hd // 2]), -1)


def hidden():
    x = F.embedding(ids, w["embed"])
    h = rms(x, w["in_norm"])
    q, k, v = (F.linear(h, w[n]).view(1, T, nh, hd).transpose(1, 2) for n in "qkv")
    q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
    if attention == "sdpa":
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    else:
        y = ((q @ k.transpose(-2, -1)) / math.sqrt(hd) + mask).softmax(-1) @ v
    x = x + F.linear(y.transpose(1, 2).reshape(1, T, C), w["o"])
    h = rms(x, w["post_norm"])
    x = x + F.linear(F.silu(F.linear(h, w["gate"])) * F.linear(h, w["up"]), w["down"])
    return rms(x, w["norm"])


def step():
    t0 = time.perf_counter()
    hidden().backward(out_grad)
    w["embed"].grad.sum().item()
    for p in w.values():
        p.grad = None
    return (time.perf_counter() - t0) * 1000


times = [step() for _ in range(13)][3:]
print(json.dumps({"ms": statistics.median(times)}))

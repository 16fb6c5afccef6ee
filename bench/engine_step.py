# One benchmark process for PyTorch: the same GPT-2-style stack and training step as
# bench/gpt2-stack.ts, timed the same way. Prints per-step milliseconds and peak RSS as JSON.
import json, math, resource, sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(1)  # as calign: OpenBLAS uses the cores, torch's own pool would oversubscribe
warmup, timed = int(sys.argv[1]), int(sys.argv[2])
L, D, H, M, T, B, V = 4, 256, 4, 1024, 128, 8, 8000
g = torch.Generator().manual_seed(0)

def w(*shape):
    return (torch.randn(*shape, generator=g) * 0.02).requires_grad_()

def vec(n, v):
    return torch.full((n,), float(v)).requires_grad_()

blocks = [dict(ln1w=vec(D, 1), ln1b=vec(D, 0), qkvw=w(3 * D, D), qkvb=vec(3 * D, 0), projw=w(D, D), projb=vec(D, 0),
               ln2w=vec(D, 1), ln2b=vec(D, 0), fcw=w(M, D), fcb=vec(M, 0), outw=w(D, M), outb=vec(D, 0))
          for _ in range(L)]
wte, wpe, lnfw, lnfb = w(V, D), w(T, D), vec(D, 1), vec(D, 0)
params = [wte, wpe] + [p for b in blocks for p in b.values()] + [lnfw, lnfb]
opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.01)

def attention(b, x, causal):
    Bn, Tn, C = x.shape
    hs = C // H
    q, k, v = F.linear(x, b["qkvw"], b["qkvb"]).split(C, 2)
    heads = lambda t: t.view(Bn, Tn, H, hs).transpose(1, 2)
    att = (heads(q) @ heads(k).transpose(-2, -1) * (1 / math.sqrt(hs))).masked_fill(causal, float("-inf")).softmax(-1)
    y = (att @ heads(v)).transpose(1, 2).contiguous().view(Bn, Tn, C)
    return F.linear(y, b["projw"], b["projb"])

def loss_of(ids):
    inp, tgt = ids[:, :T], ids[:, 1:T + 1]
    causal = torch.ones(T, T, dtype=torch.bool).triu(1)
    x = F.embedding(inp, wte) + F.embedding(torch.arange(T), wpe)
    for b in blocks:
        x = x + attention(b, F.layer_norm(x, (D,), b["ln1w"], b["ln1b"]), causal)
        h = F.layer_norm(x, (D,), b["ln2w"], b["ln2b"])
        x = x + F.linear(F.gelu(F.linear(h, b["fcw"], b["fcb"]), approximate="tanh"), b["outw"], b["outb"])
    logits = F.linear(F.layer_norm(x, (D,), lnfw, lnfb), wte)
    return F.cross_entropy(logits.view(-1, V), tgt.reshape(-1))

data = torch.Generator().manual_seed(1)
ms = []
loss = 0.0
for i in range(warmup + timed):
    t0 = time.perf_counter()
    ids = torch.randint(0, V, (B, T + 1), generator=data)
    l = loss_of(ids)
    opt.zero_grad(set_to_none=True)
    l.backward()
    opt.step()
    loss = l.item()
    if i >= warmup:
        ms.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": ms, "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "loss": loss}))

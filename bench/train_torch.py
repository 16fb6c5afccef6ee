# One benchmark process for PyTorch: the same training step as calign's bench/train.child.ts on the same
# weights: SFT (mean NLL of completion tokens) or DPO (sigmoid loss + SFT term, reference log-probs
# precomputed), forward + backward + gradient clipping + AdamW. Prints per-step milliseconds as JSON.
import json, os, re, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_llama import head_of, load, make_hidden  # noqa: E402

torch.set_num_threads(1)  # as calign: OpenBLAS uses the cores, torch's own pool would oversubscribe
folder, mode, warmup, timed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
work = json.loads(sys.argv[5])
c, w = load(folder)
params = [p.requires_grad_() for p in w.values()]
hidden = make_hidden(c, w)
head = head_of(w)
opt = torch.optim.AdamW(params, lr=1e-5, weight_decay=0.0)
P = work["promptLen"]


def completion_logps(rows):
    ids = torch.tensor(rows)
    h = hidden(ids, None)[:, P - 1:-1]
    logp = F.linear(h, head).float().log_softmax(-1)
    return logp.gather(2, ids[:, P:, None]).squeeze(-1)  # (B, L)


def step():
    if mode == "sft":
        loss = -completion_logps(work["ids"]).mean()
    else:
        B = len(work["ids"]) // 2
        lp = completion_logps(work["ids"])
        seq = lp.sum(-1)
        chosen, rejected = seq[:B], seq[B:]
        ref_c, ref_r = torch.tensor(work["refChosen"]), torch.tensor(work["refRejected"])
        logits = (chosen - rejected) - (ref_c - ref_r)
        loss = -F.logsigmoid(0.1 * logits).mean() + (-lp[:B].mean())
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    opt.zero_grad(set_to_none=True)
    return loss.item()


ms = []
loss = None
for i in range(warmup + timed):
    t0 = time.perf_counter()
    loss = step()
    if i >= warmup:
        ms.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": ms, "result": loss, "peakRssMb": int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024}))

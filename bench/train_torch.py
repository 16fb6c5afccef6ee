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
lora = None
if work.get("lora"):
    # PEFT's LoRA on the attention projections: A (r, in) kaiming-uniform, B (out, r) zeros; base frozen.
    r, alpha = work["lora"]["r"], work["lora"]["alpha"]
    lora = {}
    for i in range(c["num_hidden_layers"]):
        for proj in ("q_proj", "k_proj", "v_proj", "o_proj"):
            name = "model.layers.%d.self_attn.%s" % (i, proj)
            out_f, in_f = w[name + ".weight"].shape
            a = torch.empty(r, in_f)
            torch.nn.init.kaiming_uniform_(a, a=5 ** 0.5)
            lora[name] = (a.requires_grad_(), torch.zeros(out_f, r).requires_grad_(), alpha / r)
    params = [t for a, b, _ in lora.values() for t in (a, b)]
else:
    params = [p.requires_grad_() for p in w.values()]
hidden = make_hidden(c, w, lora)
head = head_of(w)
opt = torch.optim.AdamW(params, lr=1e-5, weight_decay=0.0)
P = work["promptLen"]


def completion_logps(rows):
    ids = torch.tensor(rows)
    h = hidden(ids, None)[:, P - 1:-1]
    logp = F.linear(h, head).float().log_softmax(-1)
    return logp.gather(2, ids[:, P:, None]).squeeze(-1)  # (B, L)


def step():
    if mode.startswith("sft"):
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

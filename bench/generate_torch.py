# One benchmark process for PyTorch: the same Llama computation as calign's bench/generate.child.ts on
# the same weights (a safetensors file): KV-cached greedy generation, or batched teacher-forced scoring
# (log-softmax in float32 over the completion positions). Prints per-repeat milliseconds as JSON.
import json, os, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_llama import head_of, load, make_hidden  # noqa: E402

torch.set_num_threads(1)  # as calign: OpenBLAS uses the cores, torch's own pool would oversubscribe
folder, mode, warmup, timed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
work = json.loads(sys.argv[5])
c, w = load(folder)
hidden = make_hidden(c, w)
head = head_of(w)


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

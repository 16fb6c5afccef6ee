# One benchmark process for PyTorch: the same Llama computation as calign's bench/generate.child.ts on
# the same weights (a safetensors file): KV-cached greedy generation of one prompt or of a batch of
# equal-length prompts, or batched teacher-forced scoring (log-softmax in float32 over the completion
# positions). Prints per-repeat milliseconds as JSON. With a DEVICE other than cpu (bench/gpu/run.sh):
# weights in bfloat16 on it and attention through scaled_dot_product_attention, as calign runs there.
#   python3 generate_torch.py FOLDER MODE WARMUP TIMED WORK [DEVICE]
import json, os, sys, time
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_llama import head_of, load, make_hidden  # noqa: E402

torch.set_num_threads(1)  # as calign: OpenBLAS uses the cores, torch's own pool would oversubscribe
folder, mode, warmup, timed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
work = json.loads(sys.argv[5])
device = sys.argv[6] if len(sys.argv) > 6 else "cpu"
c, w = load(folder)
if device != "cpu":
    w = {k: v.to(device, torch.bfloat16) for k, v in w.items()}
hidden = make_hidden(c, w, fused=device != "cpu")
head = head_of(w)


def greedy(prompts, new):
    """KV-cached greedy decoding of equal-length prompts: each row's new tokens."""
    ids = torch.tensor(prompts, device=device)
    past = []
    out = []
    for _ in range(new):
        ids = F.linear(hidden(ids, past)[:, -1], head).argmax(-1, keepdim=True)
        out.append(ids)
    return torch.cat(out, 1).tolist()


def run_generate():
    return greedy([work["prompt"]], work["new"])[0]


def run_batch():
    return greedy(work["prompts"], work["new"])


def run_score():
    ids = torch.tensor(work["ids"], device=device)
    P = work["promptLen"]
    h = hidden(ids, None)[:, P - 1:-1]
    logp = F.linear(h, head).float().log_softmax(-1)
    return logp.gather(2, ids[:, P:, None]).squeeze(-1).sum().item()


ms = []
result = None
with torch.no_grad():
    for i in range(warmup + timed):
        t0 = time.perf_counter()
        result = {"generate": run_generate, "batch": run_batch, "score": run_score}[mode]()
        if i >= warmup:
            ms.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": ms, "result": result}))

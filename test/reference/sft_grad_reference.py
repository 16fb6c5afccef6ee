# Reference SFT loss and gradients: the mean negative log-likelihood of completion tokens given their
# prompt, each example run on its own (no padding), through the transformers-faithful model of
# causal_lm_reference.py. stdin: {config, weights, examples: [{prompt, completion}]}; stdout: loss and
# the gradient of every parameter.
import json, os, sys
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from causal_lm_reference import llama, read_safetensors  # noqa: E402

torch.set_num_threads(1)
job = json.load(sys.stdin)
w = {k: v.requires_grad_() for k, v in read_safetensors(job["weights"]).items()}
nll, count = 0.0, 0
for ex in job["examples"]:
    ids = torch.tensor([ex["prompt"] + ex["completion"]], dtype=torch.int64)
    logits = llama(job["config"], w, ids, torch.ones_like(ids))
    P, L = len(ex["prompt"]), len(ex["completion"])
    logp = F.log_softmax(logits[0, P - 1 : P - 1 + L].float(), -1)
    nll = nll - logp.gather(1, torch.tensor(ex["completion"])[:, None]).sum()
    count += L
loss = nll / count
loss.backward()
print(json.dumps({"loss": loss.item(), "grads": {k: v.grad.reshape(-1).tolist() for k, v in w.items()}}))

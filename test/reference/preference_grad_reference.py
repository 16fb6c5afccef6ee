# Reference preference losses and gradients, written from the published definitions (DPO and conservative
# DPO as TRL computes them, hinge/SLiC, IPO on length-normalised log-probabilities, RRHF's ranking loss on
# length-normalised log-probabilities) plus sft * the mean NLL of the chosen responses' tokens. Every
# response is run on its own (no padding) through the transformers-faithful model of
# causal_lm_reference.py. stdin: {config, weights, examples: [{prompt, responses, rewards, chosen, rejected,
# ref}], cases: [{loss, beta, eps, sft}]} (ref: the reference model's summed log-probs per response);
# stdout, per case: the loss, the rewards of chosen and rejected, and the gradient of every parameter.
import json, os, sys
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from causal_lm_reference import llama, read_safetensors  # noqa: E402

torch.set_num_threads(1)
job = json.load(sys.stdin)
weights = read_safetensors(job["weights"])


def token_logps(w, prompt, completion):
    ids = torch.tensor([prompt + completion], dtype=torch.int64)
    logits = llama(job["config"], w, ids, torch.ones_like(ids))
    P, L = len(prompt), len(completion)
    logp = F.log_softmax(logits[0, P - 1 : P - 1 + L].float(), -1)
    return logp.gather(1, torch.tensor(completion)[:, None])[:, 0]


def run(kind, beta, eps, sft):
    w = {k: v.detach().clone().requires_grad_() for k, v in weights.items()}
    losses, chosen_rewards, rejected_rewards = [], [], []
    nll, count = 0.0, 0
    for ex in job["examples"]:
        toks = [token_logps(w, ex["prompt"], r) for r in ex["responses"]]
        sums = [t.sum() for t in toks]
        means = [t.mean() for t in toks]
        ref_sums = ex["ref"]
        ref_means = [s / len(r) for s, r in zip(ref_sums, ex["responses"])]
        c, r = ex["chosen"], ex["rejected"]
        if kind == "ranking":
            rw = ex["rewards"]
            k = len(rw)
            losses.append(sum(torch.relu(means[i] - means[j]) for i in range(k) for j in range(k) if rw[i] < rw[j]))
            seq, ref = sums, ref_sums
        else:
            seq, ref = (means, ref_means) if kind == "ipo" else (sums, ref_sums)
            h = (seq[c] - seq[r]) - (ref[c] - ref[r])
            if kind == "sigmoid":
                losses.append(-F.logsigmoid(beta * h) * (1 - eps) - F.logsigmoid(-beta * h) * eps)
            elif kind == "hinge":
                losses.append(torch.relu(1 - beta * h))
            else:
                losses.append((h - 1 / (2 * beta)) ** 2)
        chosen_rewards.append(beta * (seq[c] - ref[c]).item())
        rejected_rewards.append(beta * (seq[r] - ref[r]).item())
        nll = nll - toks[c].sum()
        count += len(ex["responses"][c])
    loss = torch.stack(losses).mean() + sft * nll / count
    loss.backward()
    return {
        "loss": loss.item(),
        "chosen_rewards": chosen_rewards,
        "rejected_rewards": rejected_rewards,
        "grads": {k: v.grad.reshape(-1).tolist() for k, v in w.items()},
    }


print(json.dumps([run(c["loss"], c["beta"], c["eps"], c["sft"]) for c in job["cases"]]))

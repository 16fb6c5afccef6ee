import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fixture, skipUnlessFixture, tempDir } from "../../test/fixtures.js";
import { runPython, torchUnavailable } from "../../test/helpers/torch-python.js";
import { writeHfDir } from "../io/hf-dir.js";
import { openGgufAsHf } from "../io/llama-gguf-model.js";
import { loadTokenizer } from "../tokenizers/load-tokenizer.js";

// End-to-end check of the GGUF loader's layout rule, independent of calign's engine: the
// stories260k GGUF is converted to an HF folder by calign (names mapped, Q/K rows un-permuted into
// HF's rotate-half order), then a plain PyTorch Llama with HF's RoPE decodes greedily from it. The
// golden texts printed by llama2.c come out only if the un-permutation is right.
const PY_GREEDY = `
import json, struct, sys, numpy as np, torch
req = json.load(sys.stdin)
d = req['dir']
cfg = json.load(open(d + '/config.json'))
raw = open(d + '/model.safetensors', 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
hdr = json.loads(raw[8:8 + n])
W = {k: torch.from_numpy(np.frombuffer(raw[8 + n + v['data_offsets'][0]: 8 + n + v['data_offsets'][1]], dtype='<f4').copy()).reshape(v['shape'])
     for k, v in hdr.items() if k != '__metadata__'}
H, KV, D = cfg['num_attention_heads'], cfg['num_key_value_heads'], cfg['head_dim']
eps, theta, L = cfg['rms_norm_eps'], cfg['rope_theta'], cfg['num_hidden_layers']
def rms(x, w): return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w
def rot(t): return torch.cat([-t[..., D // 2:], t[..., :D // 2]], -1)
def logits(ids):
    T = len(ids)
    x = W['model.embed_tokens.weight'][ids]
    f = torch.outer(torch.arange(T).double(), 1.0 / theta ** (torch.arange(0, D, 2).double() / D))
    cos, sin = torch.cat([f, f], -1).cos().float(), torch.cat([f, f], -1).sin().float()
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), 1)
    for l in range(L):
        p = lambda s: W[f'model.layers.{l}.{s}.weight']
        h = rms(x, p('input_layernorm'))
        q = (h @ p('self_attn.q_proj').T).view(T, H, D).transpose(0, 1)
        k = (h @ p('self_attn.k_proj').T).view(T, KV, D).transpose(0, 1)
        v = (h @ p('self_attn.v_proj').T).view(T, KV, D).transpose(0, 1)
        q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
        k, v = k.repeat_interleave(H // KV, 0), v.repeat_interleave(H // KV, 0)
        a = ((q @ k.transpose(1, 2)) / D ** 0.5).masked_fill(mask, float('-inf')).softmax(-1)
        x = x + (a @ v).transpose(0, 1).reshape(T, -1) @ p('self_attn.o_proj').T
        h = rms(x, p('post_attention_layernorm'))
        x = x + (torch.nn.functional.silu(h @ p('mlp.gate_proj').T) * (h @ p('mlp.up_proj').T)) @ p('mlp.down_proj').T
    return rms(x, W['model.norm.weight']) @ W['lm_head.weight'].T
out = []
with torch.no_grad():
    for ids in req['prompts']:
        ids = list(ids)
        while len(ids) < req['positions']:
            ids.append(int(logits(ids)[-1].argmax()))
        out.append(ids)
print(json.dumps(out))
`;

const STORIES = ["stories260k", "tinyllamas-stories-260k-f32.gguf"] as const;

test("stories260k via calign's GGUF → HF conversion reproduces llama2.c's greedy texts in PyTorch", {
  skip: skipUnlessFixture(...STORIES) || (torchUnavailable() ?? false),
}, () => {
  const { dir, remove } = tempDir();
  const m = openGgufAsHf(fixture(...STORIES));
  try {
    const tensors = m.weights.list().map((t) => m.weights.read(t.name));
    writeHfDir(dir, { config: m.config, tensors });
    const tok = loadTokenizer(fixture(...STORIES));
    const prompt = tok.encode("Tom had a red kite");
    const [fromBos, fromPrompt] = runPython<number[][]>(PY_GREEDY, {
      dir,
      prompts: [[1], prompt],
      positions: 64,
    });
    const golden = (f: string) => readFileSync(fixture("stories260k", f), "utf8");
    const a = tok.decode(fromBos!, { skipSpecialTokens: true });
    const b = tok.decode(fromPrompt!, { skipSpecialTokens: true });
    assert.ok(a.length > 150 && golden("expected-greedy-from-bos.txt").startsWith(a), a);
    assert.ok(b.length > 150 && golden("expected-greedy-tom-had-a-red-kite.txt").startsWith(b), b);
  } finally {
    m.weights.close();
    remove();
  }
});

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { fixture, skipUnlessFixture, tempDir } from "../../test/fixtures.js";
import { writeGguf } from "./gguf-write.js";
import {
  ggufMetadataFromLlamaConfig,
  hfTensorToGguf,
  type LlamaConfig,
  openGgufAsHf,
} from "./llama-gguf-model.js";
import { ggufToHfName, hfToGgufName } from "./llama-gguf-names.js";
import { permuteQk } from "./llama-qk-permute.js";
import { fromFloat32, type RawTensor, toFloat32 } from "./raw-tensor.js";

test("llama names: every block tensor maps to HF and back", () => {
  const pairs: Array<[string, string]> = [
    ["token_embd.weight", "model.embed_tokens.weight"],
    ["output_norm.weight", "model.norm.weight"],
    ["output.weight", "lm_head.weight"],
    ["blk.0.attn_norm.weight", "model.layers.0.input_layernorm.weight"],
    ["blk.3.attn_q.weight", "model.layers.3.self_attn.q_proj.weight"],
    ["blk.3.attn_q.bias", "model.layers.3.self_attn.q_proj.bias"],
    ["blk.12.attn_k.weight", "model.layers.12.self_attn.k_proj.weight"],
    ["blk.1.attn_v.weight", "model.layers.1.self_attn.v_proj.weight"],
    ["blk.1.attn_output.weight", "model.layers.1.self_attn.o_proj.weight"],
    ["blk.1.ffn_norm.weight", "model.layers.1.post_attention_layernorm.weight"],
    ["blk.1.ffn_gate.weight", "model.layers.1.mlp.gate_proj.weight"],
    ["blk.1.ffn_up.weight", "model.layers.1.mlp.up_proj.weight"],
    ["blk.1.ffn_down.weight", "model.layers.1.mlp.down_proj.weight"],
  ];
  for (const [g, hf] of pairs) {
    assert.equal(ggufToHfName(g), hf);
    assert.equal(hfToGgufName(hf), g);
  }
  assert.equal(ggufToHfName("rope_freqs.weight"), undefined);
  assert.equal(hfToGgufName("model.layers.0.self_attn.rotary_emb.inv_freq"), undefined);
});

/** A [rows, 1] tensor whose values are the row indices, to read permutations off directly. */
function rowIds(rows: number): RawTensor {
  return fromFloat32(
    "w",
    [rows, 1],
    Float32Array.from({ length: rows }, (_, i) => i),
  );
}

test("Q/K permutation matches convert_hf_to_gguf.py's reshape/swapaxes and inverts exactly", () => {
  // One head of dim 8: HF rotates halves (0..3 | 4..7), llama.cpp rotates adjacent pairs, so
  // w.reshape(1, 2, 4, 1).swapaxes(1, 2) interleaves the halves: rows 0 4 1 5 2 6 3 7.
  assert.deepEqual([...toFloat32(permuteQk(rowIds(8), 1, "hf-to-gguf"))], [0, 4, 1, 5, 2, 6, 3, 7]);
  // Two heads of dim 4: each head permuted on its own.
  assert.deepEqual([...toFloat32(permuteQk(rowIds(8), 2, "hf-to-gguf"))], [0, 2, 1, 3, 4, 6, 5, 7]);
  const w = fromFloat32(
    "q",
    [24, 3],
    Float32Array.from({ length: 72 }, (_, i) => Math.sin(i)),
  );
  for (const heads of [1, 2, 3, 6]) {
    const back = permuteQk(permuteQk(w, heads, "hf-to-gguf"), heads, "gguf-to-hf");
    assert.deepEqual(back.data, w.data);
  }
  assert.throws(() => permuteQk(rowIds(6), 4, "hf-to-gguf"), /not n_head 4/);
});

const STORIES = ["stories260k", "tinyllamas-stories-260k-f32.gguf"] as const;

test("stories260k opens as an HF Llama: config facts from its README", {
  skip: skipUnlessFixture(...STORIES),
}, () => {
  const m = openGgufAsHf(fixture(...STORIES));
  try {
    const c = m.config;
    assert.equal(c.model_type, "llama");
    assert.deepEqual(
      [
        c.hidden_size,
        c.num_hidden_layers,
        c.num_attention_heads,
        c.num_key_value_heads,
        c.intermediate_size,
        c.vocab_size,
      ],
      [64, 5, 8, 4, 172, 512],
    );
    assert.equal(c.max_position_embeddings, 512);
    assert.equal(c.head_dim, 8);
    assert.equal(c.rope_theta, 10000);
    assert.ok(Math.abs(c.rms_norm_eps - 1e-5) < 1e-9);
    assert.equal(c.bos_token_id, 1);
    assert.equal(c.eos_token_id, 2);
    assert.deepEqual(m.unmapped, []);
    const names = m.weights.list().map((t) => t.name);
    assert.equal(names.length, 48);
    assert.ok(names.includes("model.layers.4.mlp.down_proj.weight"));
    // Q is un-permuted into HF order: row h*8 + j*4 + i of HF is row h*8 + 2i + j of the file.
    const fileQ = toFloat32(m.gguf.read("blk.0.attn_q.weight"));
    const hfQ = toFloat32(m.weights.read("model.layers.0.self_attn.q_proj.weight"));
    const row = (a: Float32Array, r: number) => [...a.subarray(r * 64, r * 64 + 64)];
    assert.deepEqual(row(hfQ, 8 + 4 + 1), row(fileQ, 8 + 2 + 1));
    assert.deepEqual(row(hfQ, 2), row(fileQ, 4));
  } finally {
    m.weights.close();
  }
});

test("an HF Llama written as GGUF reads back as the same HF tensors and config", () => {
  const config: LlamaConfig = {
    model_type: "llama",
    hidden_size: 8,
    intermediate_size: 12,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    head_dim: 4,
    rms_norm_eps: 1e-6,
    rope_theta: 500000,
    max_position_embeddings: 64,
    vocab_size: 10,
    tie_word_embeddings: false,
    rope_scaling: { rope_type: "linear", factor: 2 },
  };
  const shapes: Record<string, number[]> = {
    "model.embed_tokens.weight": [10, 8],
    "model.layers.0.input_layernorm.weight": [8],
    "model.layers.0.self_attn.q_proj.weight": [8, 8],
    "model.layers.0.self_attn.k_proj.weight": [4, 8],
    "model.layers.0.self_attn.v_proj.weight": [4, 8],
    "model.layers.0.self_attn.o_proj.weight": [8, 8],
    "model.layers.0.post_attention_layernorm.weight": [8],
    "model.layers.0.mlp.gate_proj.weight": [12, 8],
    "model.layers.0.mlp.up_proj.weight": [12, 8],
    "model.layers.0.mlp.down_proj.weight": [8, 12],
    "model.norm.weight": [8],
    "lm_head.weight": [10, 8],
  };
  let seed = 1;
  const hf = Object.entries(shapes).map(([name, shape]) =>
    fromFloat32(
      name,
      shape,
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
        seed = (seed * 16807) % 2147483647;
        return seed / 2147483647;
      }),
    ),
  );
  const { dir, remove } = tempDir();
  try {
    const path = join(dir, "tiny.gguf");
    const gg = hf.map((t) => hfTensorToGguf(t, config));
    const q = gg.find((t) => t.name === "blk.0.attn_q.weight")!;
    assert.notDeepEqual(q.data, hf[2]!.data, "Q is permuted on the way out");
    writeGguf(path, ggufMetadataFromLlamaConfig(config), gg);
    const m = openGgufAsHf(path);
    try {
      const { architectures: _, ...back } = m.config;
      assert.deepEqual(back, {
        ...config,
        rms_norm_eps: Math.fround(1e-6),
        rope_scaling: { rope_type: "linear", factor: 2 },
      });
      for (const t of hf)
        assert.deepEqual(Buffer.from(m.weights.read(t.name).data), Buffer.from(t.data), t.name);
    } finally {
      m.weights.close();
    }
  } finally {
    remove();
  }
});

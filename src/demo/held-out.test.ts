// The demo's core promise: held-out wordings and held-out instances never reach training in any stage
// (the eval set also asks its held-out instances under the seed wordings; those prompts must not reach
// training either).
// Every training artifact is built from the augmented training groups (SFT data) or from stage 2's
// prompts under the wordings training gave their instruction (samples, rewards, pairs); they are checked
// here with the rule paraphraser (the source most likely to stumble on a held-out wording) as well as
// the pool, against every held-out wording of the suite.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { instancePrompt } from "../align/instance-prompt.js";
import { rulesSource } from "../align/paraphrase-rules-source.js";
import { withInstructionWordings } from "../align/sample.js";
import { sftExamples } from "../align/sft-data.js";
import { augmentFile } from "../align/stage-files.js";
import { readAllGroups } from "../data/index.js";
import { isHeldOutWording } from "../tasks/held-out-guard.js";
import { listFamilies, ORIGIN } from "../tasks/index.js";
import { writeDemoData } from "./demo-data.js";

for (const source of ["rules", "pool"] as const) {
  test(`no held-out wording or instance reaches training (augment source ${source})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "calign-heldout-"));
    try {
      const files = await writeDemoData(dir, { train: 6, prompts: 6, eval: 4, evalVariants: 20 }, 0);
      const augmented = join(dir, "augmented.jsonl");
      const summary = await augmentFile(
        files.train,
        augmented,
        {
          source,
          n: 10,
          perItem: 0,
          seed: 3,
          pool: files.pool,
          paraphraser: null,
          nearDuplicate: 0.9,
          chat: true,
          rules: rulesSource,
          heldOut: files.eval,
        },
        { cacheDir: null },
      );
      assert.ok(summary.kept > 0);
      const train = await readAllGroups(augmented);
      const evalGroups = await readAllGroups(files.eval);
      // Stage 2 samples its prompts under their instruction's training wordings (sample.wordings instruction).
      const prompts = withInstructionWordings(await readAllGroups(files.prompts), train);
      assert.ok(prompts.every((g) => g.variants.length > 3));
      const heldOutTexts = new Set(listFamilies().flatMap((f) => f.heldOutWordings));
      for (const g of [...train, ...prompts]) {
        for (const v of g.variants) {
          assert.ok(!isHeldOutWording(v.text), `training wording is held out: ${v.text}`);
          assert.ok(!heldOutTexts.has(v.text));
        }
      }
      // The eval set: every held-out item under every seed wording and under held-out wordings only.
      const seedTexts = new Set(listFamilies().flatMap((f) => f.seedWordings));
      for (const g of evalGroups) {
        const origins = g.variants.map((v) => v.origin);
        assert.deepEqual([...new Set(origins)], [ORIGIN.seed, ORIGIN.heldOut], g.id);
        for (const v of g.variants)
          assert.ok((v.origin === ORIGIN.seed ? seedTexts : heldOutTexts).has(v.text), `${g.id}: ${v.text}`);
      }
      // Inputs: no evaluation instance is a training instance or a prompt of stage 2 (under seed wordings
      // or held-out ones).
      const trainInputs = new Set([...train, ...prompts].map((g) => `${g.task}\u0000${g.input}`));
      for (const g of evalGroups)
        assert.ok(!trainInputs.has(`${g.task}\u0000${g.input}`), `eval input in training: ${g.input}`);
      // The SFT(IA) data (and everything sampled from the same groups) uses only those wordings.
      const evalPrompts = new Set(
        evalGroups.flatMap((g) => g.variants.map((v) => instancePrompt(v.text, g.input))),
      );
      for (const ex of sftExamples(train))
        assert.ok(!evalPrompts.has(ex.prompt), `eval prompt in training: ${ex.prompt}`);
      for (const g of prompts)
        for (const v of g.variants)
          assert.ok(!evalPrompts.has(instancePrompt(v.text, g.input)), `eval prompt in stage 2: ${g.input}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

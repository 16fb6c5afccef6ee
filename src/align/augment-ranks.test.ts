// Augment across 2 ranks over Gloo: each rank asks the paraphraser for its share of the distinct
// instructions only, and every rank ends with what one process computes asking for all of them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AUGMENT_GROUPS, AUGMENT_OPTIONS, recordingSource } from "../../test/helpers/augment-case.js";
import { runRanks } from "../../test/helpers/dist-ranks.js";
import { NO_GLOO } from "../../test/helpers/no-gloo.js";
import { augmentGroups } from "./augment.js";

test("2 ranks share augment's instructions and both end with the single process's groups", {
  skip: NO_GLOO,
  timeout: 60_000,
}, async () => {
  const asked: string[] = [];
  const alone = await augmentGroups(AUGMENT_GROUPS, recordingSource(asked), AUGMENT_OPTIONS);
  assert.equal(asked.length, 4, "one call per distinct instruction");
  assert.ok(alone.summary.kept > 0, "the case keeps some paraphrases");
  const ranks = await runRanks(2, ["augment", "30000"]);
  for (const r of ranks) assert.equal(r.code, 0, `rank ${r.rank}: ${r.stderr}`);
  // Distinct instructions dealt in snake order (0, 1, 1, 0) in order of first use.
  assert.deepEqual(ranks[0]?.result?.asked, [asked[0], asked[3]]);
  assert.deepEqual(ranks[1]?.result?.asked, [asked[1], asked[2]]);
  for (const r of ranks) assert.deepEqual(r.result?.result, alone, `rank ${r.rank}`);
});

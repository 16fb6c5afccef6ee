// The package root: what it exports, and that everything needing no tensors runs in a process where
// the libtorch addon cannot load (there, the first tensor names how to build the addon).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import * as calign from "../src/index.js";

test("the package root exports the surface users compose, each a function, class or value", () => {
  const surface = [
    // metrics: CR with pluggable similarity, quality views, PSS, PDR, POSIX, bootstrap, comparison
    ["pairSums", "itemConsistency", "rougeLSimilarity", "exactMatchSimilarity", "judgeSimilarity"],
    ["summarizeQuality", "promptSensitivity", "posixItem", "posixWithModel", "evaluateItems"],
    ["estimateFigures", "compareFigures", "compareSystems", "buildReport", "FIGURES", "DEFAULT_BOOTSTRAP"],
    ["rouge", "rougeMax", "rougeLQuality", "exactMatchQuality"],
    // data
    ["readGroups", "writeGroups", "parseGroup", "readResponseGroups", "DataError", "ORIGINAL"],
    // backends
    ["EmbeddedBackend", "HttpBackend", "MockBackend", "CapabilityError", "BackendHttpError"],
    // paraphrasers and stages
    ["paraphrase", "rulesSource", "poolSource", "backendSource", "augmentGroups", "agreementJudge"],
    ["sampleCandidates", "rewardCandidates", "buildPairs", "respond", "evaluateSystem"],
  ].flat();
  const root = calign as Record<string, unknown>;
  for (const name of surface) assert.notEqual(root[name], undefined, `calign exports ${name}`);
});

// Runs in a child process whose .node loader always fails, as when libtorch is not installed.
const CHILD = `
import Module from "node:module";
Module._extensions[".node"] = () => { throw new Error("libtorch.so: cannot open shared object file"); };
const c = await import(${JSON.stringify(new URL("../src/index.js", import.meta.url).href)});
const out = {};
out.rougeL = c.rouge("the cat sat", "the cat sat down").rougeL.f1;
const group = {
  id: "g", instruction: "x", input: "", references: ["a"],
  variants: ["a", "a", "b"].map((response, i) => ({ text: "w" + i, origin: i ? "rule" : "original", response })),
};
const [item] = await c.evaluateItems([group], { similarity: c.exactMatchSimilarity, quality: c.exactMatchQuality });
out.cr = item.consistency;
out.worst = item.quality.worst;
const mock = new c.MockBackend({ generate: ["one"] });
out.mock = (await mock.generate({ prompts: ["p"] })).samples[0][0].text;
out.rules = c.paraphrase("Answer the question in one word.", 2, 0).length;
const engine = await import(${JSON.stringify(new URL("../src/engine/index.js", import.meta.url).href)});
try { engine.tensor([1, 2]); out.tensor = "made"; } catch (e) { out.tensor = e.message; }
console.log(JSON.stringify(out));
`;

test("metrics, ROUGE, data, stages and the mock backend run where the addon cannot load", () => {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", CHILD], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.rougeL, (2 * 1 * 0.75) / 1.75); // LCS 3 of 3 (recall) and of 4 (precision)
  assert.equal(out.cr, 1 / 3); // pairs (a, a), (a, b), (a, b)
  assert.equal(out.worst, 0);
  assert.equal(out.mock, "one");
  assert.equal(out.rules, 2);
  assert.match(
    out.tensor,
    /cannot load the libtorch addon .*libtorch\.so: cannot open.*npm run build:native/,
  );
});

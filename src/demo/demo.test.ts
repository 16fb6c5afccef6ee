// `calign demo --quick` end to end on the committed base model and the built-in task suite, run as a
// newcomer runs it (scripts/demo.sh: two ranks under calign launch on two cores): in a copy of the
// checkout, writing to its default folder. Every stage runs, the
// report opens with the targets, the table over seeds (seed and held-out wordings) and the headline,
// the three trained models are kept, and the README's next command, the lint step, still passes in that
// copy with the demo's outputs in it (and git ignores them). (Quality is not asserted here: the README reports measured figures; a test must not
// depend on how well a few minutes of CPU training happen to do.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";

const REPO = new URL("../../../", import.meta.url).pathname;
const CLI = join(REPO, "bin", "calign.js");
const BIOME = join(REPO, "node_modules", "@biomejs", "biome", "bin", "biome");
// What a fresh clone lacks: installed packages and build outputs (and any earlier demo's outputs, which
// would make this run resume instead of train).
const NOT_IN_A_CLONE = new Set([
  ".git",
  "node_modules",
  "dist",
  "native/build",
  "calign-demo",
  "runs",
  "tmp",
]);

test("calign demo --quick in a clone: every stage, the report and the three models; the lint step still passes", () => {
  const clone = mkdtempSync(join(tmpdir(), "calign-clone-"));
  const out = join(clone, "calign-demo");
  try {
    cpSync(REPO, clone, { recursive: true, filter: (path) => !NOT_IN_A_CLONE.has(relative(REPO, path)) });
    const launch = [CLI, "launch", "--nproc-per-node", "2", "--", "demo", "--quick"];
    const r = spawnSync(process.execPath, launch, { cwd: clone, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^SFT\(IA\) vs SFT: CR [+-]\d+\.\d, accuracy [+-]\d+\.\d pts; SFT\(IA\)\+CAT vs SFT\(IA\): CR/m,
    );
    // Every target, met, missed or undecided (one seed), is printed.
    assert.equal((r.stdout.match(/^target (met|missed|undecided): /gm) ?? []).length, 5, r.stdout);
    const report = JSON.parse(readFileSync(join(out, "report.json"), "utf8"));
    assert.equal(report.targets.length, 5);
    // Seed wordings beside held-out ones, over seeds, and the gap per system.
    assert.deepEqual(Object.keys(report.seedViews.views), ["seed", "held-out"]);
    assert.deepEqual(report.seedViews.views["held-out"], report.seedSummary);
    assert.deepEqual(
      report.seedViews.gap.systems.map((s: { name: string }) => s.name),
      ["sft", "sft_ia", "cat"],
    );
    assert.deepEqual(
      report.seedSummary.systems.map((s: { name: string }) => s.name),
      ["sft", "sft_ia", "cat"],
    );
    assert.equal(report.perTask.length, 27);
    for (const s of ["sft", "sft_ia", "cat"]) {
      assert.ok(existsSync(join(out, "seed-0", s, "model", "model.safetensors")), s);
      // Every trained model carries the chat template its training used.
      const cfg = JSON.parse(readFileSync(join(out, "seed-0", s, "model", "tokenizer_config.json"), "utf8"));
      assert.equal(typeof cfg.chat_template, "string", s);
    }
    const html = readFileSync(join(out, "report.html"), "utf8");
    for (const id of ["seed-table", "seed-views", "targets", "views-table"])
      assert.ok(html.includes(`id="${id}"`), id);
    // The collapse diagnostics: every seed's flags (each naming its seed), the per-task baselines.
    assert.ok(report.flags.every((f: { seed: number }) => report.seedSummary.seeds.includes(f.seed)));
    assert.ok(html.includes('id="collapse-flags"'));
    // Stage 2's pairs against the checker, per seed (the demo's prompts have references).
    assert.deepEqual(
      report.pairs.map((p: { seed: number }) => p.seed),
      report.seedSummary.seeds,
    );
    assert.ok(html.includes('id="pair-checker"'));
    assert.equal(report.perTask.find((t: { task: string }) => t.task === "boolean-expression").chance, 0.5);
    const lint = spawnSync(process.execPath, [BIOME, "check", "."], { cwd: clone, encoding: "utf8" });
    assert.equal(lint.status, 0, `the lint step fails after the demo:\n${lint.stdout}${lint.stderr}`);
    const git = (...args: string[]) => spawnSync("git", args, { cwd: clone, encoding: "utf8" });
    assert.equal(git("init", "-q").status, 0);
    assert.equal(
      git("check-ignore", "-q", "calign-demo/report.html").status,
      0,
      "git must ignore calign-demo/",
    );
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
});

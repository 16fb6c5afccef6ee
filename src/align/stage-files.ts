// Each pipeline stage as a function from input files to output files, shared by `calign run` and the
// stand-alone stage commands (`calign augment`, `sample`, `reward`, `pairs`, `evaluate`).
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Backend } from "../backends/index.js";
import { type OpenOptions, openBackend } from "../backends/open-backend.js";
import { ConfigError, type SettingsOf } from "../config/index.js";
import { DataError, type ParaphraseGroup, readAllGroups, writeGroups } from "../data/index.js";
import type { ProcessGroup } from "../distributed/index.js";
import {
  type AnswerOf,
  answerPattern,
  type BootstrapOptions,
  collapseFlag,
  wholeResponse,
  withAnswers,
} from "../metrics/index.js";
import { writeJsonAtomicSync } from "../util/atomic-write.js";
import { readCandidateSets, writeCandidateSets, writePairs } from "./artifacts.js";
import { type AugmentSummary, augmentGroups } from "./augment.js";
import {
  type EvaluationSummary,
  evaluateSystem,
  metricsFile,
  respond,
  type SystemEvaluation,
  viewSummary,
} from "./evaluate.js";
import type { JudgeHealth } from "./judge-health.js";
import { JUDGE_PROMPTS } from "./judge-prompt.js";
import { buildPairs, type PairOptions, type PairSummary } from "./pairs.js";
import { backendSource, type ParaphraseSource, poolSource } from "./paraphrase-source.js";
import { rewardCandidates } from "./reward.js";
import { withRuleWordings } from "./rule-wordings.js";
import type { AUGMENT_OPTIONS, EVALUATE_OPTIONS, REWARD_OPTIONS, SAMPLE_OPTIONS } from "./run-schema.js";
import { sampleCandidates, withInstructionWordings } from "./sample.js";

export type Progress = (done: number, total: number, info?: string) => void;

/**
 * How a stage reaches its model: the `http` settings, the interrupt, and the folder where an HTTP
 * backend keeps the calls completed so far. That folder outlives a failed or stopped stage, so its
 * rerun resumes, and is removed once the stage has written its output.
 */
export type Connection = OpenOptions & { cacheDir: string | null };

/** Runs fn on a backend for the target (a model path or an OpenAI-compatible URL), then closes it. */
export async function withBackend<T>(
  target: string,
  o: OpenOptions,
  fn: (b: Backend) => Promise<T>,
): Promise<T> {
  const b = await openBackend(target, o);
  try {
    return await fn(b);
  } finally {
    await b.close();
  }
}

/** The answer finder of an `answer_pattern` setting; a bad pattern is the config's error (set at `source`). */
export function answerOfSetting(pattern: string | null | undefined, source = "answer_pattern"): AnswerOf {
  try {
    return answerPattern(pattern ?? null);
  } catch (err) {
    if (err instanceof SyntaxError) throw new ConfigError(source, "answer_pattern", err.message);
    throw err;
  }
}

/** The stage's output is written: the calls it cached are needed no more. */
function dropCache(c: Connection): void {
  if (c.cacheDir !== null) rmSync(c.cacheDir, { recursive: true, force: true });
}

/** Stage augment's settings: its config section, the prompt format and what it is given besides files. */
/** The augment section but `rows`, which only SFT(IA)'s data reads. */
export type AugmentSettings = Omit<SettingsOf<typeof AUGMENT_OPTIONS>, "rows"> & {
  chat: boolean;
  /** The rule-based paraphraser for source "rules". */
  rules?: ParaphraseSource;
  /** Evaluation groups whose wordings must never reach training (paraphrases near them are dropped). */
  heldOut?: string | null;
};

/** Given a process group, the ranks share the instructions and rank 0 writes the file. */
export async function augmentFile(
  input: string,
  output: string,
  s: AugmentSettings,
  c: Connection,
  group?: ProcessGroup,
): Promise<AugmentSummary> {
  const groups = await readAllGroups(input);
  const heldOut = s.heldOut
    ? [...new Set((await readAllGroups(s.heldOut)).flatMap((g) => g.variants.map((v) => v.text)))]
    : [];
  const run = (source: ParaphraseSource) =>
    augmentGroups(
      groups,
      source,
      {
        heldOut,
        n: s.n,
        perItem: s.perItem,
        seed: s.seed,
        origin: s.source,
        filters: { nearDuplicate: s.nearDuplicate, lengthRatio: [0.4, 3] },
      },
      group,
    );
  let result: Awaited<ReturnType<typeof run>>;
  if (s.source === "rules") {
    if (s.rules === undefined) throw new Error('augment source "rules" needs the rule-based paraphraser');
    result = await run(s.rules);
  } else if (s.source === "pool") {
    if (s.pool === null) throw new Error('augment source "pool" needs a pool file');
    const pools = JSON.parse(readFileSync(s.pool, "utf8")) as Record<string, string[]>;
    result = await run(poolSource(new Map(Object.entries(pools))));
  } else {
    if (s.paraphraser === null) throw new Error('augment source "model" needs a paraphraser model or URL');
    result = await withBackend(s.paraphraser, c, (b) => run(backendSource(b, { chat: s.chat })));
  }
  if (group === undefined || group.isMain) {
    await writeGroups(output, result.groups);
    dropCache(c);
  }
  return result.summary;
}

export type SampleSettings = SettingsOf<typeof SAMPLE_OPTIONS> & {
  chat: boolean;
  /** The rule-based paraphraser, for wordings "rules". */
  rules?: ParaphraseSource;
  /** Evaluation groups whose wordings stage 2's rule rewrites must stay away from (wordings "rules"). */
  heldOut?: string | null;
};

/** The wordings stage 2 samples `own` under (`sample.wordings`); `training`: the augmented training set. */
async function stageTwoWordings(
  own: ParaphraseGroup[],
  training: () => Promise<ParaphraseGroup[]>,
  s: SampleSettings,
): Promise<ParaphraseGroup[]> {
  if (s.wordings === "item") return own;
  if (s.wordings === "instruction") return withInstructionWordings(own, await training());
  if (s.rules === undefined) throw new Error('sample wordings "rules" needs the rule-based paraphraser');
  const heldOut = s.heldOut ? await readAllGroups(s.heldOut) : [];
  return withRuleWordings(own, await training(), s.rules, { seed: s.seed, heldOut });
}

/**
 * Candidates for the groups of `prompts` (null: of `input`, the augmented training set), under the
 * wordings `s.wordings` says. Given a process group, the ranks share the sampling and rank 0 writes the
 * file.
 */
export async function sampleFile(
  input: string,
  prompts: string | null,
  output: string,
  model: string,
  s: SampleSettings,
  c: Connection,
  progress?: Progress,
  group?: ProcessGroup,
) {
  const own = await readAllGroups(prompts ?? input);
  // Stage 2's own prompts take their wordings from the augmented training set.
  const groups = await stageTwoWordings(own, async () => (prompts === null ? own : readAllGroups(input)), s);
  const sets = await withBackend(model, c, (b) =>
    // 16 prompts per backend call; the batching is fixed so a seed gives the same candidates.
    sampleCandidates(b, groups, { ...s, batch: 16 }, progress, group),
  );
  if (group === undefined || group.isMain) {
    await writeCandidateSets(output, sets);
    dropCache(c);
  }
  return { sets: sets.length, candidates: sets.reduce((a, x) => a + x.candidates.length, 0) };
}

export type RewardSettings = SettingsOf<typeof REWARD_OPTIONS> & {
  chat: boolean;
  /** Where a candidate's answer is (ANSWER_PATTERN): the judge and agreement compare answers. */
  answerPattern?: string | null;
  /** calign JSONL groups with references: method "reference" scores against them, judge health checks against them. */
  references: string | null;
};

/** Each item's references, by id, from calign JSONL groups (none without a file). */
async function referencesOf(file: string | null): Promise<Map<string, string[]>> {
  if (file === null) return new Map();
  return new Map((await readAllGroups(file)).map((g) => [g.id, g.references]));
}

/** Given a process group, the ranks share the scoring and rank 0 writes the file. */
export async function rewardFile(
  input: string,
  output: string,
  model: string,
  s: RewardSettings,
  c: Connection,
  progress?: Progress,
  group?: ProcessGroup,
): Promise<JudgeHealth> {
  const sets = await readCandidateSets(input);
  const refs = await referencesOf(s.references);
  const health = await withBackend(model, c, (b) =>
    rewardCandidates(b, sets, {
      method: s.method,
      judgePrompts: JUDGE_PROMPTS.slice(0, s.judgePrompts),
      chat: s.chat,
      references: refs,
      answerOf: answerOfSetting(s.answerPattern),
      batch: 32,
      ...(progress ? { progress } : {}),
      ...(group ? { group } : {}),
    }),
  );
  if (group === undefined || group.isMain) {
    await writeCandidateSets(output, sets);
    dropCache(c);
  }
  return health;
}

export type PairSettings = PairOptions & {
  /** calign JSONL groups with references: the summary holds the pairs against the checker. */
  references: string | null;
  /** Where a pair's answers are (ANSWER_PATTERN), for the checker. */
  answerPattern?: string | null;
};

export async function pairsFile(input: string, output: string, s: PairSettings): Promise<PairSummary> {
  const { pairs, summary } = buildPairs(
    await readCandidateSets(input),
    s,
    await referencesOf(s.references),
    answerOfSetting(s.answerPattern),
  );
  if (pairs.length === 0)
    // The user's to fix (another reward method, a smaller gap): one line, not an internal error.
    throw new DataError(
      { file: input, line: null },
      "reward",
      `no preference pair has a reward gap >= ${s.minGap} (pairs.min_gap); see the reward stage's judge health`,
    );
  await writePairs(output, pairs);
  return summary;
}

export type EvaluateSettings = SettingsOf<typeof EVALUATE_OPTIONS> & {
  chat: boolean;
  /** Where a response's answer is (ANSWER_PATTERN): the figures compare answers, the files keep responses. */
  answerPattern?: string | null;
};

/**
 * Responses of each system (in order) to the held-out items, written to outDir/<system>.responses.jsonl,
 * and its figures to <system>.metrics.json, each compared with the system before it. Nothing is written
 * until every system has answered, so a failed evaluation leaves no partial output. Given a process
 * group, the ranks share the responding and rank 0 computes the figures and writes (the others return {}).
 * A system in `reused` is not asked again: those are its responses (another run's, same model and settings).
 */
export async function evaluateModels(
  evalFile: string,
  outDir: string,
  systems: readonly [string, string][],
  s: EvaluateSettings,
  c: Connection,
  progress?: Progress,
  group?: ProcessGroup,
  reused: ReadonlyMap<string, ParaphraseGroup[]> = new Map(),
): Promise<EvaluationSummary> {
  const answerOf = answerOfSetting(s.answerPattern);
  const groups = await readAllGroups(evalFile);
  if (groups.length === 0)
    throw new DataError({ file: evalFile, line: null }, "(file)", "no groups to evaluate");
  const answered: [string, ParaphraseGroup[]][] = [];
  for (const [system, target] of systems) {
    // A cache per system: servers calign launches may all call their model by the same name.
    const cacheDir = c.cacheDir === null ? null : join(c.cacheDir, system);
    const responses =
      reused.get(system) ??
      (await withBackend(target, { ...c, cacheDir }, (b) =>
        respond(
          b,
          groups,
          { chat: s.chat, maxTokens: s.maxTokens, batch: s.batchSize },
          (d, t) => progress?.(d, t, system),
          group,
        ),
      ));
    answered.push([system, responses]);
  }
  if (group !== undefined && !group.isMain) return {};
  const table = await writeEvaluation(
    outDir,
    answered,
    { resamples: s.bootstrap, seed: 0, level: 0.95 },
    answerOf,
  );
  dropCache(c);
  return table;
}

/**
 * The figures of each system's answers (`answerOf` its responses), each compared with the system before
 * it (and flagged when its CR rose with falling input sensitivity or accuracy), written to outDir with
 * the responses as given.
 */
export async function writeEvaluation(
  outDir: string,
  answered: readonly [string, ParaphraseGroup[]][],
  bootstrap: BootstrapOptions,
  answerOf: AnswerOf = wholeResponse,
): Promise<EvaluationSummary> {
  const evaluations: [string, SystemEvaluation][] = [];
  let previous: { name: string; evaluation: SystemEvaluation } | undefined;
  for (const [system, responses] of answered) {
    const r = await evaluateSystem(system, withAnswers(responses, answerOf), bootstrap, previous);
    evaluations.push([system, r]);
    previous = { name: system, evaluation: r };
  }
  mkdirSync(outDir, { recursive: true });
  const table: EvaluationSummary = {};
  for (const [i, [system, r]] of evaluations.entries()) {
    await writeGroups(join(outDir, `${system}.responses.jsonl`), answered[i]![1]);
    const metrics = metricsFile(r);
    writeJsonAtomicSync(join(outDir, `${system}.metrics.json`), metrics);
    const before = evaluations[i - 1];
    table[system] = {
      ...viewSummary(metrics),
      views: Object.fromEntries(Object.entries(metrics.views).map(([o, v]) => [o, viewSummary(v)])),
      collapseFlag:
        before === undefined
          ? null
          : collapseFlag(
              { name: system, collapse: r.collapse },
              { name: before[0], collapse: before[1].collapse },
            ),
    };
  }
  return table;
}

// `calign check` as a function: variants for every case (given, or from a paraphrase source), the
// system's greedy response to each, then per case the consistency rate, the quality summary and the
// most divergent pair of responses, each case and the whole set held against the thresholds.

import { agreementJudge } from "../align/agreement-judge.js";
import { augmentGroups } from "../align/augment.js";
import { respond } from "../align/evaluate.js";
import { rulesSource } from "../align/paraphrase-rules-source.js";
import { backendSource, type ParaphraseSource, poolSource } from "../align/paraphrase-source.js";
import type { Backend } from "../backends/backend.js";
import { DiskCache } from "../backends/disk-cache.js";
import { ORIGINAL, type ParaphraseGroup } from "../data/index.js";
import {
  buildReport,
  DEFAULT_BOOTSTRAP,
  evaluateItem,
  exactMatchQuality,
  exactMatchSimilarity,
  type ItemResult,
  type Judge,
  judgeSimilarity,
  type MetricsReport,
  rougeLQuality,
  rougeLSimilarity,
  rougeLThresholdSimilarity,
  type Similarity,
  wholeResponse,
  withAnswers,
} from "../metrics/index.js";
import type { CheckCase, CheckConfig, Thresholds } from "./check-config.js";
import { type Connection, describeTarget, openTarget } from "./open-target.js";
import { verdict } from "./thresholds.js";

export interface VariantResponse {
  text: string;
  origin: string;
  /** The whole response. */
  response: string;
  /** With `answer_pattern`: the answer found in the response, what the figures compare. */
  answer?: string;
}

/** What the check compares of a variant's response: its answer, or the whole response. */
export function comparedText(v: VariantResponse): string {
  return v.answer ?? v.response;
}

export interface CaseResult {
  id: string;
  file: string;
  line: number;
  passed: boolean;
  /** One message per threshold missed. */
  failures: string[];
  item: ItemResult;
  thresholds: Thresholds;
  references: string[];
  variants: VariantResponse[];
  /** The pair of variants whose responses are least similar (null with one variant). */
  divergent: { a: number; b: number; similarity: number } | null;
}

export interface CheckResult {
  config: string;
  system: string;
  settings: Record<string, unknown>;
  passed: boolean;
  cases: CaseResult[];
  overall: { report: MetricsReport; thresholds: Thresholds; failures: string[] };
}

export interface CheckOptions {
  /** Where HTTP responses and judge verdicts are kept; null = no cache. */
  cacheDir: string | null;
  progress?: (message: string) => void;
}

async function withTarget<T>(
  target: Parameters<typeof openTarget>[0],
  connection: Connection,
  fn: (b: Backend) => Promise<T>,
): Promise<T> {
  const backend = await openTarget(target, connection);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

function groupOf(c: CheckCase): ParaphraseGroup {
  return {
    id: c.id,
    task: c.task,
    instruction: c.instruction,
    input: c.input,
    variants: [{ text: c.instruction, origin: ORIGINAL }, ...c.variants],
    references: c.references,
  };
}

/** The cases' groups with their variants, paraphrased by the configured source where not given. */
async function withVariants(config: CheckConfig, connection: Connection): Promise<ParaphraseGroup[]> {
  const groups = config.cases.map(groupOf);
  const v = config.variants;
  if (v.source === "given") return groups;
  const run = async (source: ParaphraseSource) =>
    (
      await augmentGroups(groups, source, {
        n: v.n,
        seed: v.seed,
        origin: v.source === "rules" ? "rule" : v.source,
      })
    ).groups;
  if (v.source === "rules") return run(rulesSource);
  if (v.source === "pool") return run(poolSource(v.pool!));
  return withTarget(v.paraphraser!, connection, (b) => run(backendSource(b, { chat: config.system.chat })));
}

/** A judge whose verdicts are kept on disk under the judge's name and the two responses. */
function cachedJudge(judge: Judge, cache: DiskCache | null, name: string): Judge {
  if (cache === null) return judge;
  return async (a, b) => {
    const key = DiskCache.key({ judge: name, a, b });
    const hit = await cache.get(key);
    if (typeof hit === "number" || typeof hit === "boolean") return hit;
    const v = await judge(a, b);
    await cache.set(key, v);
    return v;
  };
}

/** A similarity that remembers each pair's value, to find a case's most divergent pair afterwards. */
function recording(sim: Similarity) {
  const seen = new Map<string, number>();
  const key = (a: string, b: string) => JSON.stringify([a, b]);
  return {
    sim: async (a: string, b: string) => {
      const s = await sim(a, b);
      seen.set(key(a, b), s);
      return s;
    },
    /** The least similar pair among responses (in the order evaluateItem compares them). */
    least(responses: readonly string[]): CaseResult["divergent"] {
      let worst: CaseResult["divergent"] = null;
      for (let i = 0; i < responses.length; i++)
        for (let j = i + 1; j < responses.length; j++) {
          const s = seen.get(key(responses[i]!, responses[j]!)) ?? 1;
          if (worst === null || s < worst.similarity) worst = { a: i, b: j, similarity: s };
        }
      return worst;
    },
  };
}

async function evaluateCases(
  config: CheckConfig,
  responses: readonly ParaphraseGroup[],
  similarity: Similarity,
): Promise<CaseResult[]> {
  const quality = config.quality === "exact" ? exactMatchQuality : rougeLQuality();
  const out: CaseResult[] = [];
  for (const [i, group] of responses.entries()) {
    const c = config.cases[i]!;
    const rec = recording(similarity);
    const [answered] = withAnswers([group], config.answerOf);
    const item = await evaluateItem(answered!, { similarity: rec.sim, quality });
    // The whole responses stay in the results, so a reader sees what the answers were found in.
    const variants: VariantResponse[] = group.variants.map((v, k) => {
      const whole = { text: v.text, origin: v.origin, response: v.response ?? "" };
      return config.answerOf === wholeResponse
        ? whole
        : { ...whole, answer: answered!.variants[k]!.response ?? "" };
    });
    const failures = verdict(c.thresholds, {
      cr: item.consistency,
      worstQuality: item.quality?.worst ?? null,
      gap: item.quality?.gap ?? null,
    });
    out.push({
      id: c.id,
      file: c.file,
      line: c.line,
      passed: failures.length === 0,
      failures,
      item,
      thresholds: c.thresholds,
      references: c.references,
      variants,
      divergent: rec.least(variants.map(comparedText)),
    });
  }
  return out;
}

export async function runCheck(config: CheckConfig, options: CheckOptions): Promise<CheckResult> {
  const s = config.system;
  const connection: Connection = { ...s, cacheDir: options.cacheDir };
  const cache = options.cacheDir === null ? null : new DiskCache(options.cacheDir);
  options.progress?.(`variants: ${config.variants.source}`);
  const groups = await withVariants(config, connection);
  options.progress?.(
    `responses of ${describeTarget(s.target)} to ${groups.reduce((n, g) => n + g.variants.length, 0)} variants`,
  );
  const responses = await withTarget(s.target, connection, (b) =>
    respond(b, groups, { chat: s.chat, maxTokens: s.maxTokens, batch: s.batch }),
  );
  const sim = config.similarity;
  const judged = async (fn: (similarity: Similarity) => Promise<CaseResult[]>) => {
    if (sim.method !== "judge") {
      const similarity =
        sim.method === "exact"
          ? exactMatchSimilarity
          : sim.method === "threshold"
            ? rougeLThresholdSimilarity(sim.threshold)
            : rougeLSimilarity();
      return fn(similarity);
    }
    return withTarget(sim.judge!, connection, (b) => {
      const name = `${describeTarget(sim.judge!)}${sim.judgeChat ? " (chat)" : ""}`;
      return fn(judgeSimilarity(cachedJudge(agreementJudge(b, { chat: sim.judgeChat }), cache, name)));
    });
  };
  const cases = await judged((similarity) => evaluateCases(config, responses, similarity));
  const settings = {
    similarity:
      sim.method === "threshold"
        ? `rougeL>=${sim.threshold}`
        : sim.method === "judge"
          ? `judge: ${describeTarget(sim.judge!)}`
          : sim.method,
    quality: config.quality,
    variants: config.variants.source,
  };
  const report = buildReport(
    config.file,
    cases.map((c) => c.item),
    settings,
    DEFAULT_BOOTSTRAP,
  );
  const failures = verdict(config.overall, {
    cr: report.figures.cr_macro!.value,
    worstQuality: report.figures.quality_worst!.value,
    gap: report.figures.quality_gap!.value,
  });
  return {
    config: config.file,
    system: describeTarget(s.target),
    settings,
    passed: failures.length === 0 && cases.every((c) => c.passed),
    cases,
    overall: { report, thresholds: config.overall, failures },
  };
}

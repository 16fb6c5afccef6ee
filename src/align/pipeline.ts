// `calign run`: the paper's pipeline as stages over one run directory — augment → SFT baseline →
// SFT(IA) → sample → self-reward → pairs → CAT → evaluate — each reading and writing files there and
// recorded in manifest.json. Finished stages whose inputs did not change are skipped; training stages
// resume from their checkpoints, so killing a run at any point and rerunning it loses nothing done.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Backend } from "../backends/index.js";
import type { ConfigValue } from "../config/index.js";
import { loadConfig } from "../config/index.js";
import { type ParaphraseGroup, readGroups, writeGroups, writeJsonl } from "../data/index.js";
import { runTask } from "../engine/worker-task.js";
import { writeJsonAtomic } from "../io/file-io.js";
import { DPO_SCHEMA } from "../train/dpo-schema.js";
import { SFT_SCHEMA } from "../train/sft-schema.js";
import type { TrainProgress, TrainResult } from "../train/trainer.js";
import { readCandidateSets, writeCandidateSets, writePairs } from "./artifacts.js";
import { augmentGroups } from "./augment.js";
import { evaluateSystem, respond, type SystemEvaluation } from "./evaluate.js";
import { contentHash, readManifest, stageKey, writeManifest } from "./manifest.js";
import { openBackend } from "./open-backend.js";
import { buildPairs } from "./pairs.js";
import { backendSource, type ParaphraseSource, poolSource } from "./paraphrase-source.js";
import { JUDGE_PROMPTS, type RewardMethod, rewardCandidates } from "./reward.js";
import { STAGES, type Stage } from "./run-schema.js";
import { sampleCandidates } from "./sample.js";
import { sftExamples } from "./sft-data.js";

export interface PipelineEvent {
  stage: Stage;
  /** "start", "skip" (done before, inputs unchanged), "progress", "done". */
  kind: "start" | "skip" | "progress" | "done";
  done?: number;
  total?: number;
  info?: string;
}

export interface PipelineOptions {
  runDir: string;
  /** Nested config (sections augment, sft, ...), as loaded from RUN_SCHEMA. */
  config: Record<string, unknown>;
  from?: Stage;
  until?: Stage;
  /** The offline rule-based paraphraser (augment.source "rules"). */
  rules?: ParaphraseSource;
  onEvent?: (e: PipelineEvent) => void;
  signal?: AbortSignal;
}

type Section = Record<string, ConfigValue>;

const defaultsOf = (schema: Parameters<typeof loadConfig>[0]) =>
  Object.fromEntries(loadConfig(schema, []).values);

/** The model folder a training stage produced (the merged one when it trained LoRA adapters). */
export function trainedModel(dir: string): string {
  return existsSync(join(dir, "model-merged")) ? join(dir, "model-merged") : join(dir, "model");
}

export class StoppedError extends Error {
  override name = "StoppedError";
}

export async function runPipeline(o: PipelineOptions): Promise<void> {
  const c = o.config;
  const sec = (name: string) => (c[name] ?? {}) as Section;
  const dir = o.runDir;
  mkdirSync(dir, { recursive: true });
  const manifestPath = join(dir, "manifest.json");
  const manifest = readManifest(manifestPath, c);
  const chat = c.chat as boolean;
  const path = (f: string) => join(dir, f);
  const from = STAGES.indexOf(o.from ?? "augment");
  const until = STAGES.indexOf(o.until ?? "evaluate");
  const keys: Partial<Record<Stage, string>> = {};
  const emit = (e: PipelineEvent) => o.onEvent?.(e);

  const readAll = async (file: string) => {
    const out: ParaphraseGroup[] = [];
    for await (const g of readGroups(file)) out.push(g);
    return out;
  };

  const training = <R extends TrainResult>(stage: Stage, task: string, config: Section) =>
    runTask<Section, R, TrainProgress>(new URL(`../train/${task}`, import.meta.url), config, {
      ...(o.signal ? { signal: o.signal } : {}),
      onProgress: (p) =>
        emit({
          stage,
          kind: "progress",
          done: p.step,
          total: p.totalSteps,
          info: p.metrics ? `loss ${p.metrics.loss?.toFixed(4)}` : "",
        }),
    });

  const withBackend = async <T>(target: string, fn: (b: Backend) => Promise<T>): Promise<T> => {
    const b = await openBackend(target);
    try {
      return await fn(b);
    } finally {
      await b.close();
    }
  };

  // Training stages own a folder: checkpoints there resume only a run with the same inputs.
  const OWN_DIRS: Partial<Record<Stage, string>> = {
    sft: "sft",
    sft_ia: "sft_ia",
    cat: "cat",
    evaluate: "eval",
  };

  const bodies: Record<Stage, { inputs: () => Promise<unknown>; run: () => Promise<unknown> }> = {
    augment: {
      inputs: async () => [sec("augment"), await contentHash(c.train as string)],
      run: async () => {
        const a = sec("augment");
        const source =
          a.source === "rules"
            ? (o.rules ?? null)
            : a.source === "pool"
              ? poolSource(
                  new Map(
                    Object.entries(
                      JSON.parse(readFileSync(a.pool as string, "utf8")) as Record<string, string[]>,
                    ),
                  ),
                )
              : null;
        const augmentWith = (s: ParaphraseSource) =>
          augmentGroups(groups, s, {
            n: a.n as number,
            seed: a.seed as number,
            origin: a.source === "model" ? "model" : (a.source as string),
            filters: { nearDuplicate: a.near_duplicate as number, lengthRatio: [0.4, 3] },
          });
        const groups = await readAll(c.train as string);
        if (a.source === "rules" && source === null)
          throw new Error('augment.source "rules" needs the rule-based paraphraser');
        const r =
          source !== null
            ? await augmentWith(source)
            : await withBackend((a.paraphraser as string | null) ?? (c.model as string), (b) =>
                augmentWith(backendSource(b, { chat })),
              );
        await writeGroups(path("augmented.jsonl"), r.groups);
        return r.summary;
      },
    },
    sft: {
      inputs: async () => [
        sec("sft"),
        await contentHash(c.train as string),
        await contentHash(c.model as string),
      ],
      run: async () => trainSft("sft", await readAll(c.train as string), "original"),
    },
    sft_ia: {
      inputs: async () => [sec("sft"), keys.augment, await contentHash(c.model as string)],
      run: async () => trainSft("sft_ia", await readAll(path("augmented.jsonl")), "all"),
    },
    sample: {
      inputs: async () => [sec("sample"), keys.augment, keys.sft_ia],
      run: async () => {
        const s = sec("sample");
        const groups = await readAll(path("augmented.jsonl"));
        const sets = await withBackend(trainedModel(path("sft_ia")), (b) =>
          sampleCandidates(
            b,
            groups,
            {
              k: s.k as number,
              temperature: s.temperature as number,
              topP: s.top_p as number,
              maxTokens: s.max_tokens as number,
              seed: s.seed as number,
              chat,
              batch: 16,
            },
            (done, total) => emit({ stage: "sample", kind: "progress", done, total }),
          ),
        );
        await writeCandidateSets(path("samples.jsonl"), sets);
        return { sets: sets.length, candidates: sets.reduce((a, x) => a + x.candidates.length, 0) };
      },
    },
    reward: {
      inputs: async () => [sec("reward"), keys.sample],
      run: async () => {
        const method = sec("reward").method as RewardMethod;
        const sets = await readCandidateSets(path("samples.jsonl"));
        const refs = new Map((await readAll(c.train as string)).map((g) => [g.id, g.references]));
        const health = await withBackend(trainedModel(path("sft_ia")), (b) =>
          rewardCandidates(b, sets, {
            method,
            judgePrompts: JUDGE_PROMPTS,
            chat,
            references: refs,
            batch: 16,
          }),
        );
        await writeCandidateSets(path("rewards.jsonl"), sets);
        return health;
      },
    },
    pairs: {
      inputs: async () => [sec("pairs"), keys.reward],
      run: async () => {
        const p = sec("pairs");
        const sets = await readCandidateSets(path("rewards.jsonl"));
        const { pairs, summary } = buildPairs(sets, {
          mode: p.mode as "best-worst" | "all",
          minGap: p.min_gap as number,
        });
        if (pairs.length === 0)
          throw new Error(
            `no preference pair has a reward gap >= ${p.min_gap}: see the reward stage's judge health`,
          );
        await writePairs(path("pairs.jsonl"), pairs);
        return summary;
      },
    },
    cat: {
      inputs: async () => [sec("cat"), keys.pairs, keys.sft_ia],
      run: async () => {
        const config = {
          ...defaultsOf(DPO_SCHEMA),
          ...sec("cat"),
          model: trainedModel(path("sft_ia")),
          data: path("pairs.jsonl"),
          output: path("cat"),
          chat,
          resume: true,
        };
        const r = await training<TrainResult>("cat", "dpo.task.js", config);
        if (r.stopped) throw new StoppedError("stopped during cat");
        return r.lastMetrics;
      },
    },
    evaluate: {
      inputs: async () => [
        sec("evaluate"),
        c.systems,
        await contentHash(c.eval as string),
        keys.sft,
        keys.sft_ia,
        keys.cat,
      ],
      run: async () => {
        const e = sec("evaluate");
        const groups = await readAll(c.eval as string);
        const models: Record<string, string> = {
          base: c.model as string,
          sft: trainedModel(path("sft")),
          sft_ia: trainedModel(path("sft_ia")),
          cat: trainedModel(path("cat")),
        };
        mkdirSync(path("eval"), { recursive: true });
        const results: Record<string, SystemEvaluation> = {};
        let previous: { name: string; items: SystemEvaluation["items"] } | undefined;
        for (const system of c.systems as string[]) {
          const target = models[system];
          if (target === undefined)
            throw new Error(`systems: unknown system '${system}' (base, sft, sft_ia, cat)`);
          const responses = await withBackend(target, (b) =>
            respond(
              b,
              groups,
              { chat, maxTokens: e.max_tokens as number, batch: e.batch as number },
              (done, total) => emit({ stage: "evaluate", kind: "progress", done, total, info: system }),
            ),
          );
          await writeGroups(path(`eval/${system}.responses.jsonl`), responses);
          // Each system is compared with the one before it in the list (SFT → SFT(IA) → CAT).
          const r = await evaluateSystem(
            system,
            responses,
            { resamples: e.bootstrap as number, seed: 0, level: 0.95 },
            previous,
          );
          writeJsonAtomic(path(`eval/${system}.metrics.json`), { accuracy: r.accuracy, rougeL: r.rougeL });
          results[system] = r;
          previous = { name: system, items: r.items };
        }
        const table = Object.fromEntries(
          Object.entries(results).map(([k, r]) => [
            k,
            {
              accuracy: r.accuracy.figures.quality_mean,
              rougeL: r.rougeL.figures.quality_mean,
              cr: r.rougeL.figures.cr_macro,
            },
          ]),
        );
        return table;
      },
    },
  };

  async function trainSft(stage: Stage, groups: ParaphraseGroup[], variants: "original" | "all") {
    mkdirSync(path(stage), { recursive: true });
    await writeJsonl(path(`${stage}/data.jsonl`), sftExamples(groups, variants));
    const config = {
      ...defaultsOf(SFT_SCHEMA),
      ...sec("sft"),
      model: c.model,
      data: path(`${stage}/data.jsonl`),
      output: path(stage),
      chat,
      resume: true,
    };
    const r = await training<TrainResult>(stage, "sft.task.js", config as Section);
    if (r.stopped) throw new StoppedError(`stopped during ${stage}`);
    return r.lastMetrics;
  }

  for (const [i, stage] of STAGES.entries()) {
    const body = bodies[stage];
    const key = stageKey(await body.inputs());
    keys[stage] = key;
    if (i < from || i > until) continue;
    const prev = manifest.stages[stage];
    if (prev?.status === "done" && prev.key === key) {
      emit({ stage, kind: "skip" });
      continue;
    }
    if (o.signal?.aborted) throw new StoppedError(`stopped before ${stage}`);
    const own = OWN_DIRS[stage];
    // Same key and unfinished: resume in place. Changed inputs: start the stage afresh.
    if (own !== undefined && prev !== undefined && prev.key !== key)
      rmSync(path(own), { recursive: true, force: true });
    manifest.stages[stage] = { status: "running", key, started: new Date().toISOString() };
    writeManifest(manifestPath, manifest);
    emit({ stage, kind: "start" });
    const summary = await body.run();
    manifest.stages[stage] = {
      status: "done",
      key,
      started: manifest.stages[stage].started,
      finished: new Date().toISOString(),
      summary,
    };
    writeManifest(manifestPath, manifest);
    emit({ stage, kind: "done" });
  }
}

// `calign run`: the paper's pipeline as stages over one run directory — augment → SFT baseline →
// SFT(IA) → sample → self-reward → pairs → CAT → evaluate — each reading and writing files there and
// recorded in manifest.json. Finished stages whose inputs did not change are skipped; training stages
// resume from their checkpoints, so killing a run at any point and rerunning it loses nothing done.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ConfigValue } from "../config/index.js";
import { loadConfig } from "../config/index.js";
import { type ParaphraseGroup, readAllGroups, writeJsonl } from "../data/index.js";
import { runWorker } from "../engine/worker.js";
import { DPO_SCHEMA } from "../train/dpo-schema.js";
import { SFT_SCHEMA } from "../train/sft-schema.js";
import type { TrainProgress, TrainResult } from "../train/trainer.js";
import { contentHash, readManifest, stageKey, writeManifest } from "./manifest.js";
import type { ParaphraseSource } from "./paraphrase-source.js";
import type { RewardMethod } from "./reward.js";
import { STAGES, type Stage } from "./run-schema.js";
import { sftExamples } from "./sft-data.js";
import {
  type AugmentSettings,
  augmentFile,
  evaluateModels,
  pairsFile,
  rewardFile,
  sampleFile,
} from "./stage-files.js";

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

  const training = <R extends TrainResult>(stage: Stage, worker: string, config: Section) =>
    runWorker<Section, R, TrainProgress>(new URL(`../train/${worker}`, import.meta.url), config, {
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
  const progress = (stage: Stage) => (done: number, total: number, info?: string) =>
    emit({ stage, kind: "progress", done, total, ...(info === undefined ? {} : { info }) });

  // Training stages own a folder: checkpoints there resume only a run with the same inputs.
  const OWN_DIRS: Partial<Record<Stage, string>> = {
    sft: "sft",
    sft_ia: "sft_ia",
    cat: "cat",
    evaluate: "eval",
  };

  const bodies: Record<Stage, { inputs: () => Promise<unknown>; run: () => Promise<unknown> }> = {
    augment: {
      inputs: async () => [
        sec("augment"),
        await contentHash(c.train as string),
        await contentHash(c.eval as string),
      ],
      run: async () => {
        const a = sec("augment");
        return augmentFile(c.train as string, path("augmented.jsonl"), {
          source: a.source as AugmentSettings["source"],
          n: a.n as number,
          perItem: a.per_item as number,
          seed: a.seed as number,
          pool: a.pool as string | null,
          paraphraser: (a.paraphraser as string | null) ?? (c.model as string),
          paraphraserModel: a.paraphraser_model as string | null,
          nearDuplicate: a.near_duplicate as number,
          chat,
          heldOut: c.eval as string,
          ...(o.rules ? { rules: o.rules } : {}),
        });
      },
    },
    sft: {
      inputs: async () => [
        sec("sft"),
        await contentHash(c.train as string),
        await contentHash(c.model as string),
      ],
      run: async () => trainSft("sft", await readAllGroups(c.train as string)),
    },
    sft_ia: {
      inputs: async () => [sec("sft"), keys.augment, await contentHash(c.model as string)],
      run: async () => trainSft("sft_ia", await readAllGroups(path("augmented.jsonl"))),
    },
    sample: {
      inputs: async () => [sec("sample"), keys.augment, keys.sft_ia],
      run: async () => {
        const s = sec("sample");
        return sampleFile(
          path("augmented.jsonl"),
          path("samples.jsonl"),
          trainedModel(path("sft_ia")),
          {
            k: s.k as number,
            temperature: s.temperature as number,
            topP: s.top_p as number,
            maxTokens: s.max_tokens as number,
            seed: s.seed as number,
            chat,
            batch: 16,
            maxGroups: s.max_groups as number,
            variantsPerGroup: s.variants_per_group as number,
          },
          progress("sample"),
        );
      },
    },
    reward: {
      inputs: async () => [sec("reward"), keys.sample],
      run: async () =>
        rewardFile(
          path("samples.jsonl"),
          path("rewards.jsonl"),
          trainedModel(path("sft_ia")),
          {
            method: sec("reward").method as RewardMethod,
            judgePrompts: sec("reward").judge_prompts as number,
            chat,
            references: c.train as string,
          },
          progress("reward"),
        ),
    },
    pairs: {
      inputs: async () => [sec("pairs"), keys.reward],
      run: async () => {
        const p = sec("pairs");
        return pairsFile(path("rewards.jsonl"), path("pairs.jsonl"), {
          mode: p.mode as "best-worst" | "all",
          minGap: p.min_gap as number,
        });
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
        const r = await training<TrainResult>("cat", "dpo.worker.js", config);
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
        const models: Record<string, string> = {
          base: c.model as string,
          sft: trainedModel(path("sft")),
          sft_ia: trainedModel(path("sft_ia")),
          cat: trainedModel(path("cat")),
        };
        const systems = (c.systems as string[]).map((s): [string, string] => {
          const target = models[s];
          if (target === undefined)
            throw new Error(`systems: unknown system '${s}' (base, sft, sft_ia, cat)`);
          return [s, target];
        });
        mkdirSync(path("eval"), { recursive: true });
        return evaluateModels(
          c.eval as string,
          path("eval"),
          systems,
          {
            chat,
            maxTokens: e.max_tokens as number,
            batch: e.batch as number,
            bootstrap: e.bootstrap as number,
          },
          progress("evaluate"),
        );
      },
    },
  };

  async function trainSft(stage: Stage, groups: ParaphraseGroup[]) {
    mkdirSync(path(stage), { recursive: true });
    await writeJsonl(path(`${stage}/data.jsonl`), sftExamples(groups));
    const config = {
      ...defaultsOf(SFT_SCHEMA),
      ...sec("sft"),
      model: c.model,
      data: path(`${stage}/data.jsonl`),
      output: path(stage),
      chat,
      resume: true,
    };
    const r = await training<TrainResult>(stage, "sft.worker.js", config as Section);
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

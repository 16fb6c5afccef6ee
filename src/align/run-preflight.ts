// What `calign run` checks before its first stage, so a mistake in the config stops the run at once
// rather than at the stage that first reads it, hours later: every path the config names exists, every
// data file it names parses, every system it evaluates is one the pipeline has, the answer pattern is a
// regular expression, every device it names is one this build has, the run's dtype is one its device
// multiplies in, and each trainer's dtype is one it can train.
import { existsSync } from "node:fs";
import { isUrlTarget } from "../backends/backend-target.js";
import { checkEngineDtype } from "../backends/open-backend.js";
import { ConfigError, type ConfigValue } from "../config/index.js";
import { readAllGroups } from "../data/index.js";
import { checkDevice, DeviceError, type DType } from "../engine/index.js";
import { baseDtypeProblem } from "../train/lora-schema.js";
import { systemStage } from "./pipeline-stages.js";
import type { RunSettings } from "./run-schema.js";
import { answerOfSetting } from "./stage-files.js";

/** Where each key was set (file:line, a flag, "default"), for the error; "run config" when unknown. */
export type KeySources = ReadonlyMap<string, string>;

/** The local paths the config names, by key (a paraphraser given as a server URL is no path). */
function namedPaths(c: RunSettings): [string, string | null][] {
  const paraphraser = c.augment.source === "model" ? c.augment.paraphraser : null;
  return [
    ["model", c.model],
    ["train", c.train],
    ["eval", c.eval],
    ["prompts", c.prompts],
    ["augment.pool", c.augment.source === "pool" ? c.augment.pool : null],
    ["augment.paraphraser", paraphraser !== null && isUrlTarget(paraphraser) ? null : paraphraser],
  ];
}

/** Throws a ConfigError naming the key (and where it was set) for the first problem found. */
export function preflightRun(c: RunSettings, sources: KeySources = new Map()): void {
  const source = (key: string) => sources.get(key) ?? "run config";
  if (c.augment.source === "pool" && c.augment.pool === null)
    throw new ConfigError(source("augment.source"), "augment.pool", 'required with augment.source "pool"');
  for (const [key, path] of namedPaths(c)) {
    if (path !== null && !existsSync(path))
      throw new ConfigError(source(key), key, `no such file or folder: ${path}`);
  }
  for (const name of c.systems) systemStage(name, source("systems"));
  answerOfSetting(c.answerPattern, source("answer_pattern"));
  for (const section of ["sft", "cat"] as const) {
    const problem = baseDtypeProblem((k) => c[section][k] as ConfigValue);
    if (problem !== null) throw new ConfigError(source(`${section}.dtype`), `${section}.dtype`, problem);
  }
  preflightDevices(
    new Map([
      ["device", c.device],
      ["dtype", c.dtype],
      ["sft.device", c.sft.device],
      ["cat.device", c.cat.device],
    ]),
    sources,
  );
}

/**
 * Parses the data files (train, eval, prompts): a malformed line stops the run before its first stage,
 * with the error naming the file, line and field, not at the stage that reads it after hours of training.
 */
export async function preflightData(c: RunSettings): Promise<void> {
  for (const path of [c.train, c.eval, c.prompts]) if (path !== null) await readAllGroups(path);
}

/**
 * The run's device and the trainer sections' own ("auto" resolves where each model loads), then the
 * run's dtype on the run's device, checked.
 */
export function preflightDevices(
  values: ReadonlyMap<string, unknown>,
  sources: KeySources = new Map(),
): void {
  const refuse = (key: string, check: () => unknown) => {
    try {
      check();
    } catch (err) {
      if (!(err instanceof DeviceError)) throw err;
      // A flag names its key itself: "--device: device 'cuda': ...".
      const source = sources.get(key) ?? "run config";
      throw new ConfigError(source, source.startsWith("--") ? source : key, err.message);
    }
  };
  for (const key of ["device", "sft.device", "cat.device"]) {
    const name = values.get(key);
    if (typeof name === "string") refuse(key, () => checkDevice(name));
  }
  const dtype = values.get("dtype");
  if (typeof dtype === "string")
    refuse("dtype", () => checkEngineDtype(dtype as DType, String(values.get("device") ?? "auto")));
}

// The registry of subcommands, in the order `calign --help` lists them.
import type { Command } from "../command.js";
import { cat } from "./cat.js";
import { demo } from "./demo.js";
import { dpo } from "./dpo.js";
import { generate } from "./generate.js";
import { metrics } from "./metrics.js";
import { pretrain } from "./pretrain.js";
import { rouge } from "./rouge.js";
import { run } from "./run.js";
import { score } from "./score.js";
import { serve } from "./serve.js";
import { sft } from "./sft.js";
import { smoke } from "./smoke.js";
import { augment, evaluate, pairs, reward, sample } from "./stages.js";
import { tasks } from "./tasks.js";
import { tokens } from "./tokens.js";

export const COMMANDS: Command[] = [
  demo,
  smoke,
  rouge,
  metrics,
  generate,
  score,
  tokens,
  serve,
  pretrain,
  sft,
  dpo,
  run,
  augment,
  sample,
  reward,
  pairs,
  cat,
  evaluate,
  tasks,
];

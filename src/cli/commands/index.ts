// The registry of subcommands, in the order `calign --help` lists them. Each command's module is
// imported only when that command runs, so a command that needs no tensors (tasks, rouge, metrics)
// never loads libtorch and starts in a fraction of the time.
import type { Command } from "../command.js";

export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

const entry = (name: string, load: () => Promise<Command>): CommandEntry => ({ name, load });

export const COMMANDS: readonly CommandEntry[] = [
  entry("demo", async () => (await import("./demo.js")).demo),
  entry("smoke", async () => (await import("./smoke.js")).smoke),
  entry("rouge", async () => (await import("./rouge.js")).rouge),
  entry("metrics", async () => (await import("./metrics.js")).metrics),
  entry("check", async () => (await import("./check.js")).check),
  entry("generate", async () => (await import("./generate.js")).generate),
  entry("score", async () => (await import("./score.js")).score),
  entry("tokens", async () => (await import("./tokens.js")).tokens),
  entry("serve", async () => (await import("./serve.js")).serve),
  entry("pretrain", async () => (await import("./pretrain.js")).pretrain),
  entry("sft", async () => (await import("./sft.js")).sft),
  entry("dpo", async () => (await import("./dpo.js")).dpo),
  entry("run", async () => (await import("./run.js")).run),
  entry("launch", async () => (await import("./launch.js")).launch),
  entry("dist-check", async () => (await import("./dist-check.js")).distCheck),
  entry("augment", async () => (await import("./stages.js")).augment),
  entry("sample", async () => (await import("./stages.js")).sample),
  entry("reward", async () => (await import("./stages.js")).reward),
  entry("pairs", async () => (await import("./stages.js")).pairs),
  entry("cat", async () => (await import("./cat.js")).cat),
  entry("evaluate", async () => (await import("./stages.js")).evaluate),
  entry("tasks", async () => (await import("./tasks.js")).tasks),
];

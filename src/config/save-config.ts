// The effective configuration saved beside a run's outputs, so every result says how it was made.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { writeAll, writeFileAtomicSync } from "../util/atomic-write.js";
import { type LoadedConfig, nest } from "./load-config.js";

export function saveEffectiveConfig(dir: string, config: LoadedConfig, command: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "config.effective.yaml");
  const text = `# calign ${command}: effective configuration (defaults <- config file <- flags)\n${stringify(nest(config.values))}`;
  writeFileAtomicSync(path, (fd) => writeAll(fd, Buffer.from(text, "utf8")));
  return path;
}

// The registry of subcommands, in the order `calign --help` lists them.
import type { Command } from "../command.js";
import { metrics } from "./metrics.js";
import { rouge } from "./rouge.js";
import { smoke } from "./smoke.js";

export const COMMANDS: Command[] = [smoke, rouge, metrics];

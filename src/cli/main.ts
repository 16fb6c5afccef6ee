// calign command-line entry point: dispatches to one file per command (cli/commands/).
import { VERSION } from "../util/version.js";
import { UsageError } from "./command.js";
import { COMMANDS } from "./commands/index.js";

async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `calign ${VERSION}: measure and improve how consistently an LLM answers paraphrased instructions.

Usage: calign <command> [options]

Commands:
${lines.join("\n")}

Options:
  -h, --help     show this help (also: calign <command> --help)
  -V, --version  print the version
`;
}

// A backend's failed call (after its retry budget) or failed setup is reported the same way.
const INPUT_ERRORS = new Set([
  "UsageError",
  "ConfigError",
  "DeviceError",
  "DataError",
  "ModelFileError",
  "CapabilityError",
  "BackendHttpError",
  "BackendSetupError",
]);

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    process.stdout.write(await help());
    return 0;
  }
  if (name === "-V" || name === "--version") {
    process.stdout.write(`${VERSION}\n${await engineLine()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    process.stderr.write(`calign: unknown command '${name}' (see calign --help)\n`);
    return 1;
  }
  const command = await entry.load();
  // Words after "--" belong to another command (calign launch -- <command> --help).
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (own.includes("-h") || own.includes("--help")) {
    process.stdout.write(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // Bad input of any kind (flags, config, data, model files, a backend lacking a capability) is the
    // user's to fix: say what and where, without a stack trace. Names survive worker boundaries.
    if (err instanceof UsageError || (err instanceof Error && INPUT_ERRORS.has(err.name))) {
      process.stderr.write(`calign ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** The libtorch the engine runs on and the GPUs it sees, or why the engine cannot load. */
async function engineLine(): Promise<string> {
  try {
    const { engineInfo } = await import("../engine/index.js");
    const { torchVersion, cudaAvailable, cudaDeviceCount } = engineInfo();
    return `libtorch ${torchVersion}, ${cudaAvailable ? `CUDA, ${cudaDeviceCount} GPU(s)` : "no CUDA (CPU only)"}`;
  } catch (err) {
    return `engine not loaded: ${(err as Error).message.split("\n")[0]}`;
  }
}

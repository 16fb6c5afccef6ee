// calign command-line entry point: dispatches to one file per command (cli/commands/).
import { VERSION } from "../util/version.js";
import { COMMANDS } from "./commands/index.js";
import { DEBUG_FLAG, failureText, showStackTraces } from "./failure.js";

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
  --debug        on failure, print the stack trace (any command)
`;
}

export async function main(argv: string[]): Promise<number> {
  // --debug may come before the command or among its own options (not after "--": another command's).
  const end = argv.includes("--") ? argv.indexOf("--") : argv.length;
  const debug = argv.slice(0, end).includes(DEBUG_FLAG);
  showStackTraces(debug);
  const args = debug ? argv.filter((a, i) => i >= end || a !== DEBUG_FLAG) : argv;
  const [name, ...rest] = args;
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
  let commandHelp: string | undefined;
  try {
    const command = await entry.load();
    commandHelp = command.help;
    // Words after "--" belong to another command (calign launch -- <command> --help).
    const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
    if (own.includes("-h") || own.includes("--help")) {
      process.stdout.write(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (err) {
    process.stderr.write(failureText(name, err, commandHelp));
    return 1;
  }
}

/** The libtorch the engine runs on, its CUDA and GPUs, its attention path, or why the engine cannot load. */
async function engineLine(): Promise<string> {
  try {
    const { engineInfo } = await import("../engine/index.js");
    const { torchVersion, cudaVersion, cudaDeviceCount, gpuNames, fusedAttention, blasCore } = engineInfo();
    const gpus = cudaDeviceCount > 0 ? `${cudaDeviceCount} GPU(s): ${gpuNames.join(", ")}` : "no GPU visible";
    const cuda = cudaVersion === "none" ? "no CUDA (CPU only)" : `CUDA ${cudaVersion}, ${gpus}`;
    const attention = fusedAttention
      ? "fused attention (scaled_dot_product_attention)"
      : "grouped attention (no fused kernel before libtorch 2.1)";
    const blas = blasCore === "" ? "" : `, OpenBLAS ${blasCore} kernels`;
    return `libtorch ${torchVersion}, ${cuda}, ${attention}${blas}`;
  } catch (err) {
    return `engine not loaded: ${(err as Error).message.split("\n")[0]}`;
  }
}

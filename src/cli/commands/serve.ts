// `calign serve`: an OpenAI-compatible HTTP server for any model calign can load. Its options, the
// server's limits among them (serve/limits.ts), are one schema: flags, config-file keys and help.
import { basename } from "node:path";
import { EmbeddedBackend } from "../../backends/embedded-backend.js";
import { keyOfFlag, loadConfig, type OptionSpec, type Schema, schemaHelp } from "../../config/index.js";
import type { DType } from "../../engine/index.js";
import { SERVE_LIMITS, type ServeLimits } from "../../serve/limits.js";
import { startServer } from "../../serve/server.js";
import { type Command, UsageError } from "../command.js";
import { loadModelTokenizer, MODEL_OPTIONS, workerDeviceOption } from "../model-inputs.js";

// The limits are named in kebab-case (their flags); their config keys are the snake_case words.
const limitOptions = Object.fromEntries(
  Object.entries(SERVE_LIMITS).map(([name, l]): [string, OptionSpec] => [
    keyOfFlag(name),
    { type: l.integer ? "integer" : "number", default: l.default, min: l.min, help: l.help },
  ]),
);

const SERVE_SCHEMA: Schema = {
  ...MODEL_OPTIONS,
  host: { type: "string", default: "127.0.0.1", help: "address to listen on (127.0.0.1: this machine only)" },
  port: { type: "integer", default: 8000, min: 0, max: 65535, help: "port; 0 picks a free one" },
  model_name: {
    type: "string",
    default: null,
    help: "the model's id in the API (none: the file or folder name)",
  },
  api_key: {
    type: "string",
    default: null,
    help: "require Authorization: Bearer KEY (none: the CALIGN_API_KEY environment variable; unset = no key)",
  },
  ...limitOptions,
};

const HELP = `Usage: calign serve --model PATH [options]

Serves the model over the OpenAI HTTP API, so anything that speaks it (calign's HTTP backend, the
openai clients, curl) can use it:
  GET  /v1/models
  POST /v1/completions        prompt (text, texts, token ids), n, temperature, top_p, top_k, max_tokens,
                              seed, stop, stream, echo + logprobs and vLLM's prompt_logprobs (scoring)
  POST /v1/chat/completions   messages through the model's chat template; logprobs, top_logprobs
  POST /tokenize, /detokenize (vLLM's shapes), /apply-template (llama.cpp's)
  GET  /health                (never needs the API key)
Sample j of a request draws from seed + j, so seeded results do not depend on batching. Concurrent
requests share batches: those that arrive while a batch runs join the next one; each non-streamed
response says in its x-calign-batch-size header how many requests shared its batch. Bad requests get
4xx with an OpenAI-style JSON error naming the field; requests over a limit below get 400, 408 or 413
before any work is spent on them, and a busy server answers 429 or 503 with Retry-After. SIGINT /
SIGTERM: stop accepting, finish the requests in flight, exit 0 (a second signal ends it at once).

Options (also from a YAML/JSON file with --config FILE):
${schemaHelp(SERVE_SCHEMA)}
  -h, --help                        show this help
`;

export const serve: Command = {
  name: "serve",
  summary: "serve a model over the OpenAI-compatible HTTP API (completions, chat, scoring, streaming)",
  help: HELP,
  options: SERVE_SCHEMA,
  async run(argv) {
    const loaded = loadConfig(SERVE_SCHEMA, argv);
    if (loaded.positionals.length > 0) throw new UsageError(`unexpected argument '${loaded.positionals[0]}'`);
    const get = (k: string) => loaded.values.get(k) ?? null;
    const model = get("model") as string | null;
    loadModelTokenizer(model);
    const limits = Object.fromEntries(
      Object.keys(SERVE_LIMITS).map((k) => [k, get(keyOfFlag(k)) as number]),
    ) as ServeLimits;
    const modelId = (get("model_name") as string | null) ?? basename(model!.replace(/\/+$/, ""));
    const backend = await EmbeddedBackend.load(model!, {
      dtype: get("dtype") as DType,
      // auto is resolved in the model's worker: libtorch stays out of the server's own thread.
      device: workerDeviceOption(get("device") as string),
      modelId,
    });
    const running = await startServer(backend, {
      host: get("host") as string,
      port: get("port") as number,
      apiKey: (get("api_key") as string | null) ?? process.env.CALIGN_API_KEY ?? null,
      limits,
    });
    process.stderr.write(`calign serve: ${modelId} listening on ${running.url}\n`);
    await new Promise<void>((resolve) => {
      const onSignal = (name: NodeJS.Signals) => {
        if (stopping) {
          process.stderr.write(`calign serve: second ${name}, exiting now\n`);
          // process.exit() would tear the model worker down in the middle of a native call, which
          // aborts (SIGABRT); the signal's default action ends the process at once and cleanly.
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          process.kill(process.pid, name);
          return;
        }
        stopping = true;
        process.stderr.write(`calign serve: ${name}, finishing the requests in flight\n`);
        void running.shutdown().then(() => {
          process.off("SIGINT", onSignal);
          process.off("SIGTERM", onSignal);
          resolve();
        });
      };
      let stopping = false;
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    });
    return 0;
  },
};

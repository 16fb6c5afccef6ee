// `calign serve`: an OpenAI-compatible HTTP server for any model calign can load.
import { basename } from "node:path";
import { EmbeddedBackend } from "../../backends/embedded-backend.js";
import { startServer } from "../../serve/server.js";
import type { Command } from "../command.js";
import { dtypeFlag, loadTokenizerFlag, MODEL_HELP, numberFlag } from "../model-flags.js";
import { parseFlags } from "../parse-flags.js";

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
4xx with an OpenAI-style JSON error naming the field. SIGINT / SIGTERM: stop accepting, finish the
requests in flight, exit 0 (a second signal exits at once).

Options:
${MODEL_HELP}
  --host ADDR            address to listen on (default 127.0.0.1: this machine only)
  --port N               port; 0 picks a free one (default 8000)
  --model-name NAME      the model's id in the API (default: the file or folder name)
  --api-key KEY          require Authorization: Bearer KEY (default: the CALIGN_API_KEY environment
                         variable; unset = no key)
  --max-queue N          most generation requests waiting or running; more get 429 (default 64)
  --max-batch N          most rows (prompts x n) per batch (default 8)
  -h, --help             show this help
`;

export const serve: Command = {
  name: "serve",
  summary: "serve a model over the OpenAI-compatible HTTP API (completions, chat, scoring, streaming)",
  help: HELP,
  async run(argv) {
    const v = parseFlags(argv, {
      model: { type: "string" },
      dtype: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "model-name": { type: "string" },
      "api-key": { type: "string" },
      "max-queue": { type: "string" },
      "max-batch": { type: "string" },
    }).values;
    loadTokenizerFlag(v.model);
    const dtype = dtypeFlag(v.dtype);
    const port = numberFlag(v.port, "port", 8000, { integer: true, min: 0, max: 65535 });
    const maxQueue = numberFlag(v["max-queue"], "max-queue", 64, { integer: true, min: 1 });
    const maxBatch = numberFlag(v["max-batch"], "max-batch", 8, { integer: true, min: 1 });
    const modelId = v["model-name"] ?? basename(v.model!.replace(/\/+$/, ""));
    const backend = await EmbeddedBackend.load(v.model!, { dtype, modelId });
    const running = await startServer(backend, {
      host: v.host ?? "127.0.0.1",
      port,
      apiKey: v["api-key"] ?? process.env.CALIGN_API_KEY ?? null,
      maxQueue,
      maxBatch,
    });
    process.stderr.write(`calign serve: ${modelId} listening on ${running.url}\n`);
    await new Promise<void>((resolve) => {
      const onSignal = (name: NodeJS.Signals) => {
        if (stopping) {
          process.stderr.write(`calign serve: second ${name}, exiting now\n`);
          process.exit(130);
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

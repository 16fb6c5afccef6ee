// An HTTP backend on a server calign starts for it (see launch-server.ts) and stops on close().
import { HttpBackend, type HttpBackendOptions } from "./http-backend.js";
import { type LaunchOptions, launchServer } from "./launch-server.js";

export interface LaunchedBackendOptions
  extends Omit<HttpBackendOptions, "baseURL">,
    Omit<LaunchOptions, "apiKey"> {}

export async function launchHttpBackend(opts: LaunchedBackendOptions): Promise<HttpBackend> {
  const apiKey = process.env[opts.apiKeyEnv ?? "OPENAI_API_KEY"] ?? null;
  const server = await launchServer({ ...opts, apiKey });
  try {
    return await HttpBackend.open({ ...opts, baseURL: server.baseURL }, () => server.stop());
  } catch (err) {
    await server.stop();
    throw err;
  }
}

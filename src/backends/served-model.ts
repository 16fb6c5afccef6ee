// The model an OpenAI-compatible server serves, from its `GET /v1/models`, for when no model name was
// given: the only one listed, or a clear error listing them when there are several to choose from.
import { BackendHttpError, BackendSetupError } from "./backend-errors.js";
import type { HttpClient } from "./http-client.js";

export async function servedModel(client: HttpClient): Promise<string> {
  const where = client.url("models");
  let res: { data?: { id?: unknown }[] };
  try {
    res = (await client.get("models")) as typeof res;
  } catch (err) {
    if (err instanceof BackendHttpError && err.status !== null && err.status < 500 && err.status !== 429)
      throw new BackendSetupError(
        `${where}: no model name was given and the server does not list its models (${err.message}); name the model`,
      );
    throw err;
  }
  const ids = (res.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string");
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0)
    throw new BackendSetupError(`${where}: no model name was given and the server lists no model`);
  throw new BackendSetupError(
    `${where}: no model name was given and the server serves ${ids.length} models (${ids.join(", ")}); name one of them`,
  );
}

// What a stage's model value names: an OpenAI-compatible server — its base URL, or several replicas'
// joined with "+", and optionally "#MODEL" for a server serving several models (a URL's fragment is
// never sent, so it cannot clash with a real path) — or else a model path (or name) on this machine.
import { BackendSetupError } from "./backend-errors.js";

export type BackendTarget =
  | { kind: "url"; urls: string[]; model: string | null }
  | { kind: "path"; path: string };

const URL_START = /^https?:\/\//;

export function isUrlTarget(target: string): boolean {
  return URL_START.test(target);
}

export function parseTarget(target: string): BackendTarget {
  if (!isUrlTarget(target)) return { kind: "path", path: target };
  const hash = target.indexOf("#");
  const model = hash < 0 ? null : target.slice(hash + 1);
  if (model === "")
    throw new BackendSetupError(`${target}: nothing after "#" (URL#MODEL names the server's model)`);
  const urls = (hash < 0 ? target : target.slice(0, hash)).split("+").map((u) => u.replace(/\/+$/, ""));
  const bad = urls.find((u) => !URL_START.test(u) || !URL.canParse(u));
  if (bad !== undefined)
    throw new BackendSetupError(
      `${target}: ${JSON.stringify(bad)} is not an http(s) URL (replicas are URL+URL, a model URL#MODEL)`,
    );
  return { kind: "url", urls, model };
}

// Helpers for reading the component objects of a tokenizer.json.

export type Spec = Record<string, unknown>;

export function specList(spec: Spec, key: string): Spec[] {
  const v = spec[key];
  if (!Array.isArray(v)) throw new Error(`tokenizer.json: ${String(spec.type)}.${key} is not a list`);
  return v as Spec[];
}

/** A {"String": s} or {"Regex": r} pattern as a global RegExp. */
export function specPattern(spec: Spec, compileRegex: (r: string) => RegExp): RegExp {
  const p = spec.pattern as Spec | undefined;
  if (typeof p?.String === "string") return new RegExp(escapeRegExp(p.String), "gu");
  if (typeof p?.Regex === "string") return compileRegex(p.Regex);
  throw new Error(`tokenizer.json: ${String(spec.type)} has no String or Regex pattern`);
}

export function unsupported(kind: string, spec: Spec): Error {
  return new Error(`tokenizer.json: ${kind} type ${JSON.stringify(spec.type)} is not supported`);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

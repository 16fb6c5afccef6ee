// Deterministic freeing of tensors: a scope records every tensor created inside it and disposes, on exit,
// all but the ones returned (like tf.tidy). The GC finalizer in the addon is only a safety net: native
// memory is invisible to V8, so relying on GC lets RSS grow unchecked.

/** Anything a scope can hand back: tensors, possibly nested in arrays and plain objects. */
export type Disposable = { dispose(): void; isDisposed(): boolean };

const stack: Set<Disposable>[] = [];
const kept = new WeakSet<Disposable>();

/** Called by every tensor constructor. */
export function track(t: Disposable): void {
  stack[stack.length - 1]?.add(t);
}

/** Exempts t from disposal by any enclosing scope (e.g. parameters created inside one). */
export function keep<T extends Disposable>(t: T): T {
  kept.add(t);
  return t;
}

function collect(value: unknown, out: Set<unknown>, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  if (
    typeof (value as Disposable).dispose === "function" &&
    typeof (value as Disposable).isDisposed === "function"
  ) {
    out.add(value);
    return;
  }
  const items = Array.isArray(value)
    ? value
    : value instanceof Map
      ? [...value.values()]
      : Object.values(value);
  for (const v of items) collect(v, out, seen);
}

/**
 * Runs fn and disposes every tensor it created except those reachable from its result (arrays and plain
 * objects are searched) and those passed to keep(). Returned tensors move to the enclosing scope.
 */
export function tidy<R>(fn: () => R): R {
  const scope = new Set<Disposable>();
  stack.push(scope);
  let result: R;
  try {
    result = fn();
  } catch (err) {
    stack.pop();
    for (const t of scope) if (!kept.has(t)) t.dispose();
    throw err;
  }
  stack.pop();
  if (result instanceof Promise) throw new Error("tidy() takes a synchronous function");
  const survivors = new Set<unknown>();
  collect(result, survivors);
  const parent = stack[stack.length - 1];
  for (const t of scope) {
    if (survivors.has(t) || kept.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Disposes every tensor found in value (arrays and plain objects are searched). */
export function dispose(value: unknown): void {
  const found = new Set<unknown>();
  collect(value, found);
  for (const t of found) (t as Disposable).dispose();
}

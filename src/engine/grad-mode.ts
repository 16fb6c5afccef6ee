// Scopes that switch autograd recording off (inference, optimizer-free updates) or back on.
import { native } from "./native.js";

function withGradMode<R>(enabled: boolean, fn: () => R): R {
  const prev = native.setGradEnabled(enabled);
  try {
    return fn();
  } finally {
    native.setGradEnabled(prev);
  }
}

/** Runs fn with autograd off, as torch.no_grad(). */
export function noGrad<R>(fn: () => R): R {
  return withGradMode(false, fn);
}

/** Runs fn with autograd on, as torch.enable_grad(). */
export function enableGrad<R>(fn: () => R): R {
  return withGradMode(true, fn);
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

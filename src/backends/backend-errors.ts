// Errors a backend throws, so callers can tell "this backend cannot do that" from a failed call.

/** The backend lacks a capability (scoring, a chat template, a tokenizer endpoint). */
export class CapabilityError extends Error {
  override name = "CapabilityError";
}

/** An HTTP backend's call failed for good (after its retries), with the server's status and message. */
export class BackendHttpError extends Error {
  override name = "BackendHttpError";
  constructor(
    message: string,
    /** HTTP status, or null for a network error or timeout. */
    readonly status: number | null,
  ) {
    super(message);
  }
}

/**
 * A backend could not be set up as configured: no model named and the server lists several, a server
 * calign launched that exited or never became ready. The message says what to change.
 */
export class BackendSetupError extends Error {
  override name = "BackendSetupError";
}

// An error the server answers with an OpenAI-style JSON body: {"error": {"message", "type", "param", "code"}}.

export class RequestError extends Error {
  override name = "RequestError";
  constructor(
    readonly status: number,
    message: string,
    /** The request field at fault, if one is. */
    readonly param: string | null = null,
    readonly type = status === 401
      ? "authentication_error"
      : status >= 500
        ? "server_error"
        : "invalid_request_error",
  ) {
    super(message);
  }

  body(): { error: { message: string; type: string; param: string | null; code: number } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.status } };
  }
}

/** A 400 whose message starts with the field's name. */
export function badField(param: string, problem: string): RequestError {
  return new RequestError(400, `${param}: ${problem}`, param);
}

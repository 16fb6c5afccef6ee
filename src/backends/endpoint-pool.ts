// Several replicas of one OpenAI-compatible server (vLLM / SGLang instances serving the same model):
// each call goes to the live replica with the fewest calls outstanding, and a replica that stops
// answering is taken out for a while and then tried again, so its calls move to the others.

export interface EndpointPoolOptions {
  /** How long a replica that failed to answer is left out before it is tried again (default 30 s). */
  reprobeMs?: number;
}

interface Endpoint {
  /** The API root including /v1. */
  base: string;
  /** Server-level endpoints (/tokenize, /apply-template) live beside /v1, not under it. */
  root: string;
  outstanding: number;
  /** Left out until this time (ms since the epoch); 0 = live. */
  downUntil: number;
}

export interface Lease {
  readonly endpoint: object;
  /** The path resolved against the chosen replica: "/x" at its server root, "x" under its /v1. */
  url(path: string): string;
  /** Reports the outcome: a replica that did not answer is taken out. */
  release(answered: boolean): void;
}

export class EndpointPool {
  private readonly endpoints: Endpoint[];

  constructor(
    bases: readonly string[],
    private readonly opts: EndpointPoolOptions = {},
  ) {
    if (bases.length === 0) throw new RangeError("EndpointPool: no endpoint given");
    this.endpoints = bases.map((b) => {
      const base = b.replace(/\/+$/, "");
      return { base, root: base.replace(/\/v1$/, ""), outstanding: 0, downUntil: 0 };
    });
  }

  /** The first replica's API root, for messages. */
  get first(): string {
    return this.endpoints[0]!.base;
  }

  get size(): number {
    return this.endpoints.length;
  }

  /** Whether a replica other than the one behind `lease` is live now (a failed call can move there). */
  otherLive(lease: Lease, now = Date.now()): boolean {
    return this.endpoints.some((e) => e !== lease.endpoint && e.downUntil <= now);
  }

  /**
   * The live replica with the fewest calls outstanding (the earlier one on a tie), other than the one
   * a call just failed on (`retrying`) while another is live; when every one is out, the one due back
   * first, so a call still goes somewhere and the retry budget decides.
   */
  acquire(retrying: Lease | null = null, now = Date.now()): Lease {
    const skip = retrying !== null && this.otherLive(retrying, now) ? retrying.endpoint : null;
    let best: Endpoint | undefined;
    for (const e of this.endpoints) {
      if (e === skip) continue;
      if (best === undefined) best = e;
      else if (e.downUntil <= now !== best.downUntil <= now) {
        if (e.downUntil <= now) best = e;
      } else if (e.downUntil <= now ? e.outstanding < best.outstanding : e.downUntil < best.downUntil)
        best = e;
    }
    const e = best!;
    e.outstanding++;
    let released = false;
    return {
      endpoint: e,
      url: (path) => (path.startsWith("/") ? `${e.root}${path}` : `${e.base}/${path}`),
      release: (answered) => {
        if (released) return;
        released = true;
        e.outstanding--;
        e.downUntil = answered ? 0 : Date.now() + (this.opts.reprobeMs ?? 30_000);
      },
    };
  }
}

// POSIX, the prompt sensitivity index of Chatterjee et al. (2024, eq. 1): for an item with prompts x_i
// and responses y_i = M(x_i),
//   psi = 1 / (N (N - 1)) * sum_i sum_{j != i} |log P(y_j | x_i) - log P(y_j | x_j)| / L(y_j),
// L(y_j) the token count of y_j; POSIX is the mean of psi over items. It needs a model that can score
// given text, passed in as a function, so any backend that can score works.

export interface ScoredResponse {
  /** log P(response | prompt), summed over the response's tokens. */
  logprob: number;
  /** Number of tokens in the response. */
  tokens: number;
}

/** Scores response j under prompt i (both indices into the item's variants). */
export type PairScorer = (i: number, j: number) => Promise<ScoredResponse> | ScoredResponse;

/** One item's psi from its N x N scores; null with fewer than two variants. */
export async function posixItem(n: number, score: PairScorer): Promise<number | null> {
  if (n < 2) return null;
  const diagonal: ScoredResponse[] = [];
  for (let j = 0; j < n; j++) diagonal.push(check(await score(j, j), j, j));
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const s = check(await score(i, j), i, j);
      sum += Math.abs(s.logprob - diagonal[j]!.logprob) / diagonal[j]!.tokens;
    }
  }
  return sum / (n * (n - 1));
}

function check(s: ScoredResponse, i: number, j: number): ScoredResponse {
  if (!(Number.isFinite(s.logprob) && s.logprob <= 0)) {
    throw new RangeError(`log P(y_${j} | x_${i}) = ${s.logprob}; expected a finite value <= 0`);
  }
  if (!(Number.isInteger(s.tokens) && s.tokens >= 1)) {
    throw new RangeError(`response ${j} has ${s.tokens} tokens; expected a positive integer`);
  }
  return s;
}

/** Scores a response given a prompt (instruction variant and input) with any backend. */
export type LogProbFn = (
  prompt: { instruction: string; input: string },
  response: string,
) => Promise<ScoredResponse>;

/** psi of one item, scoring every (variant, response) pair through a backend. */
export function posixWithModel(
  variants: readonly { text: string; response: string }[],
  input: string,
  logprob: LogProbFn,
): Promise<number | null> {
  return posixItem(variants.length, (i, j) =>
    logprob({ instruction: variants[i]!.text, input }, variants[j]!.response),
  );
}

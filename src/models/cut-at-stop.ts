// Generated text ends before the first stop string, as OpenAI-compatible servers return it; generateText,
// the embedded backend and the server all cut this way.

export function cutAtStop(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const s of stops) {
    const i = s.length > 0 ? text.indexOf(s) : -1;
    if (i >= 0 && i < end) end = i;
  }
  return text.slice(0, end);
}

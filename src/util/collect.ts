// Every item of an async iterable (a file's records, say), in order, in one array. Node 22 has
// Array.fromAsync for this; calign supports Node 20.

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

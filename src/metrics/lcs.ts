// Longest common subsequence over token ids, in memory linear in the lengths: the length for ROUGE-L, and
// the reference-side indices of one LCS for ROUGE-Lsum's union-LCS, read out with rouge-score's
// tie-break so the union matches it. Time stays proportional to the product of the lengths.

/** Length of an LCS of a and b, in O(|b|) memory. */
export function lcsLength(a: Int32Array, b: Int32Array): number {
  let prev = new Int32Array(b.length + 1);
  let row = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      if (ai === b[j - 1]) row[j] = prev[j - 1]! + 1;
      else row[j] = Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

/**
 * Indices into ref of one LCS of ref and can, as rouge-score's `_backtrack_norec` picks it, in
 * O(|ref| + |can|) memory and about twice the time of filling the table once.
 *
 * rouge-score fills the whole (|ref|+1) x (|can|+1) table T and walks back from the corner: a match
 * steps diagonally, otherwise it drops a candidate token only when T[i][j-1] > T[i-1][j]. Hirschberg's
 * split finds *an* LCS in linear space, but the union-LCS depends on *which*, so this splits the way
 * Hirschberg does while following that exact walk: one forward pass finds the column where the walk
 * crosses the middle row, and each half is solved alone (a box the walk enters at one corner and
 * leaves at the other gives the same walk with the box's own table, since the walk's cells are on an
 * LCS of the box).
 */
export function lcsIndices(ref: Int32Array, can: Int32Array): number[] {
  const out: number[] = [];
  walkBox(ref, can, 0, ref.length, 0, can.length, out);
  return out.reverse();
}

/** Below this many cells a box is read out from its full table (small, and faster than splitting). */
const TABLE_CELLS = 1 << 16;

/** Pushes, last first, the ref indices the walk matches from (r1, c1) until it leaves rows r0.., cols c0... */
function walkBox(
  ref: Int32Array,
  can: Int32Array,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  out: number[],
): void {
  if (r1 === r0 || c1 === c0) return;
  if (r1 - r0 === 1 || (r1 - r0) * (c1 - c0) <= TABLE_CELLS) {
    walkTable(ref, can, r0, r1, c0, c1, out);
    return;
  }
  const mid = (r0 + r1) >>> 1;
  const cross = c0 + crossingColumn(ref, can, r0, r1, c0, c1, mid);
  walkBox(ref, can, mid, r1, cross, c1, out);
  walkBox(ref, can, r0, mid, c0, cross, out);
}

/**
 * The box's table row by row (two rows kept) and, from row mid on, for each cell the column at which the
 * walk started there reaches row mid (or the box's first column, after which it matches nothing more).
 */
function crossingColumn(
  ref: Int32Array,
  can: Int32Array,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  mid: number,
): number {
  const w = c1 - c0;
  let prev = new Int32Array(w + 1);
  let row = new Int32Array(w + 1);
  for (let i = r0 + 1; i <= mid; i++) {
    const ri = ref[i - 1];
    for (let j = 1; j <= w; j++) {
      row[j] = ri === can[c0 + j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    [prev, row] = [row, prev];
  }
  let prevCross = Int32Array.from({ length: w + 1 }, (_, j) => j);
  let rowCross = new Int32Array(w + 1);
  for (let i = mid + 1; i <= r1; i++) {
    const ri = ref[i - 1];
    for (let j = 1; j <= w; j++) {
      if (ri === can[c0 + j - 1]) {
        row[j] = prev[j - 1]! + 1;
        rowCross[j] = prevCross[j - 1]!;
      } else if (row[j - 1]! > prev[j]!) {
        row[j] = row[j - 1]!;
        rowCross[j] = rowCross[j - 1]!;
      } else {
        row[j] = prev[j]!;
        rowCross[j] = prevCross[j]!;
      }
    }
    [prev, row] = [row, prev];
    [prevCross, rowCross] = [rowCross, prevCross];
  }
  return prevCross[w]!;
}

/** rouge-score's read-out over the box's full table, for boxes of at most TABLE_CELLS cells or one row. */
function walkTable(
  ref: Int32Array,
  can: Int32Array,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  out: number[],
): void {
  const rows = r1 - r0;
  const cols = c1 - c0 + 1;
  const table = new Int32Array((rows + 1) * cols);
  for (let i = 1; i <= rows; i++) {
    const ri = ref[r0 + i - 1];
    for (let j = 1; j < cols; j++) {
      table[i * cols + j] =
        ri === can[c0 + j - 1]
          ? table[(i - 1) * cols + j - 1]! + 1
          : Math.max(table[(i - 1) * cols + j]!, table[i * cols + j - 1]!);
    }
  }
  let i = rows;
  let j = cols - 1;
  while (i > 0 && j > 0) {
    if (ref[r0 + i - 1] === can[c0 + j - 1]) {
      out.push(r0 + i - 1);
      i--;
      j--;
    } else if (table[i * cols + j - 1]! > table[(i - 1) * cols + j]!) j--;
    else i--;
  }
}

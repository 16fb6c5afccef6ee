// CSV export (RFC 4180: comma-separated, CRLF rows, fields with a comma, quote or line break quoted),
// streamed row by row and written atomically.
import { streamTextAtomic } from "../util/atomic-write.js";

export type CsvValue = string | number | boolean | null | undefined;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(cell).join(",")}\r\n`;
}

export function writeCsv(
  path: string,
  columns: readonly string[],
  rows: AsyncIterable<Record<string, CsvValue>> | Iterable<Record<string, CsvValue>>,
): Promise<void> {
  return streamTextAtomic(path, async (out) => {
    await out.write(csvRow(columns));
    for await (const row of rows) await out.write(csvRow(columns.map((c) => row[c])));
  });
}

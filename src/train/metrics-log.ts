// Training metrics streamed to a JSONL file (one record per logging step, TRL's metric names), so a
// long run never holds its history in memory and a crash loses at most the current line.
import { closeSync, existsSync, openSync, readFileSync, writeSync } from "node:fs";
import { writeAll, writeFileAtomicSync } from "../util/atomic-write.js";

export type MetricRecord = Record<string, number>;

export class MetricsLog {
  private fd: number;
  /**
   * The last record kept on resume (null when starting afresh): what a run resumed at its final step
   * reports as its last metrics, since it trains no further step.
   */
  readonly last: MetricRecord | null = null;

  /** Opens path for appending; on resume, drops records past `keepThroughStep` first. */
  constructor(
    readonly path: string,
    keepThroughStep: number | null = null,
  ) {
    if (keepThroughStep !== null && existsSync(path)) {
      const kept = readFileSync(path, "utf8")
        .split("\n")
        .filter(
          (line) => line.trim() !== "" && ((JSON.parse(line) as MetricRecord).step ?? 0) <= keepThroughStep,
        );
      const lastLine = kept.at(-1);
      if (lastLine !== undefined) this.last = JSON.parse(lastLine) as MetricRecord;
      const text = Buffer.from(kept.map((l) => `${l}\n`).join(""), "utf8");
      writeFileAtomicSync(path, (fd) => writeAll(fd, text));
    }
    this.fd = openSync(path, keepThroughStep === null ? "w" : "a");
  }

  append(record: MetricRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Every record of a metrics file. */
export function readMetrics(path: string): MetricRecord[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as MetricRecord);
}

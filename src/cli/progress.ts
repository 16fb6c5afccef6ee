// A dependency-free progress line: redrawn in place on a terminal, a plain line every few seconds
// otherwise (CI logs), with a rate and time left.

export interface ProgressBar {
  /** Redraws at `done` of the total (which a later call may change, once the work knows its size). */
  update(done: number, info?: string, total?: number): void;
  finish(info?: string): void;
}

export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressBar {
  const start = Date.now();
  const tty = stream.isTTY === true;
  let lastPlain = 0;
  // The rate is measured from the first update: a resumed run starts part-way, and what came
  // before (model loading, steps of an earlier process) says nothing about the pace now.
  let origin: { done: number; at: number } | undefined;
  const render = (done: number, info: string): string => {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    origin ??= { done, at: Date.now() };
    const elapsed = (Date.now() - origin.at) / 1000;
    const doneHere = done - origin.done;
    const left = doneHere > 0 ? (elapsed / doneHere) * (total - done) : Number.NaN;
    const eta = Number.isFinite(left) ? ` ${formatSeconds(left)} left` : "";
    return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${eta}${info ? `  ${info}` : ""}`;
  };
  return {
    update(done, info = "", newTotal = total) {
      total = newTotal;
      if (tty) {
        stream.write(`\r\x1b[2K${render(done, info)}`);
      } else if (Date.now() - lastPlain > 2000 || done === total) {
        lastPlain = Date.now();
        stream.write(`${render(done, info)}\n`);
      }
    },
    finish(info = "") {
      const text = `${label} done in ${formatSeconds((Date.now() - start) / 1000)}${info ? `  ${info}` : ""}`;
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}

export function formatSeconds(s: number): string {
  if (s < 59.95) return `${s.toFixed(1)}s`;
  // Rounded once, so 179.6 s reads 3m00s, not 2m60s.
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  if (m < 60) return `${m}m${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

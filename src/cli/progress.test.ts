// The progress line's time left: measured from the bar's first update, so a run resumed at step 600
// of 1000 does not spread the remaining 400 steps over the 600 it did before.
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { formatSeconds, progressBar } from "./progress.js";

function plainStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

test("progressBar: a run resumed part-way gives its time left from the pace since it started", () => {
  mock.timers.enable({ apis: ["Date"], now: 0 });
  try {
    const { stream, lines } = plainStream();
    const bar = progressBar("train", 1000, stream);
    mock.timers.tick(30_000); // loading the model: not part of the pace
    bar.update(600);
    assert.doesNotMatch(lines[0] ?? "", /left/, "no pace is known yet");
    mock.timers.tick(10_000); // 10 steps in 10 s: 390 steps left take 390 s
    bar.update(610);
    assert.match(lines[1] ?? "", / 610\/1000 6m30s left/);
  } finally {
    mock.timers.reset();
  }
});

test("formatSeconds: seconds, minutes, hours", () => {
  assert.equal(formatSeconds(9.25), "9.3s");
  assert.equal(formatSeconds(390), "6m30s");
  assert.equal(formatSeconds(7260), "2h01m");
  // Rounding never shows 60 seconds.
  assert.equal(formatSeconds(179.6), "3m00s");
  assert.equal(formatSeconds(59.97), "1m00s");
  assert.equal(formatSeconds(59.9), "59.9s");
});

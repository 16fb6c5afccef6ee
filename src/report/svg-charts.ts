// Inline SVG charts (no script, no external files), so report.html renders offline anywhere.

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const COLORS = ["#8c8c8c", "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1"];

export interface Bar {
  label: string;
  value: number | null;
  ci?: [number, number] | null;
}

/** Vertical bars in [0, 1] with interval whiskers, one colour per bar. */
export function barChart(title: string, bars: readonly Bar[], width = 360, height = 220): string {
  const pad = { l: 36, r: 8, t: 24, b: 44 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const bw = w / Math.max(1, bars.length);
  const y = (v: number) => pad.t + h * (1 - Math.max(0, Math.min(1, v)));
  const parts = [`<text x="${width / 2}" y="16" text-anchor="middle" class="ct">${esc(title)}</text>`];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(`<line x1="${pad.l}" x2="${width - pad.r}" y1="${y(t)}" y2="${y(t)}" class="grid"/>`);
    parts.push(
      `<text x="${pad.l - 4}" y="${y(t) + 4}" text-anchor="end" class="ax">${Math.round(t * 100)}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const x = pad.l + i * bw + bw * 0.15;
    const v = b.value ?? 0;
    parts.push(
      `<rect x="${x}" y="${y(v)}" width="${bw * 0.7}" height="${pad.t + h - y(v)}" fill="${COLORS[i % COLORS.length]}"><title>${esc(b.label)}: ${b.value === null ? "n/a" : (100 * v).toFixed(1)}</title></rect>`,
    );
    if (b.ci) {
      const cx = x + bw * 0.35;
      parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(b.ci[0])}" y2="${y(b.ci[1])}" class="ci"/>`);
      for (const e of b.ci)
        parts.push(`<line x1="${cx - 5}" x2="${cx + 5}" y1="${y(e)}" y2="${y(e)}" class="ci"/>`);
    }
    parts.push(
      `<text x="${x + bw * 0.35}" y="${height - pad.b + 14}" text-anchor="middle" class="ax">${esc(b.label)}</text>`,
    );
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${parts.join("")}</svg>`;
}

export interface Series {
  label: string;
  points: readonly [number, number][];
}

/** Line chart of several series (e.g. training loss against step). */
export function lineChart(title: string, series: readonly Series[], width = 520, height = 220): string {
  const pad = { l: 44, r: 110, t: 24, b: 28 };
  const all = series.flatMap((s) => s.points).filter(([, v]) => Number.isFinite(v));
  if (all.length === 0) return "";
  const xMax = Math.max(...all.map(([x]) => x), 1);
  const yMin = Math.min(...all.map(([, v]) => v));
  const yMax = Math.max(...all.map(([, v]) => v));
  const span = yMax - yMin || 1;
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const px = (x: number) => pad.l + (w * x) / xMax;
  const py = (v: number) => pad.t + h * (1 - (v - yMin) / span);
  const parts = [`<text x="${pad.l + w / 2}" y="16" text-anchor="middle" class="ct">${esc(title)}</text>`];
  for (const t of [0, 0.5, 1]) {
    const v = yMin + t * span;
    parts.push(`<line x1="${pad.l}" x2="${pad.l + w}" y1="${py(v)}" y2="${py(v)}" class="grid"/>`);
    parts.push(
      `<text x="${pad.l - 4}" y="${py(v) + 4}" text-anchor="end" class="ax">${v.toPrecision(3)}</text>`,
    );
  }
  parts.push(`<text x="${pad.l + w}" y="${height - 8}" text-anchor="end" class="ax">step ${xMax}</text>`);
  series.forEach((s, i) => {
    const pts = s.points
      .filter(([, v]) => Number.isFinite(v))
      .map(([x, v]) => `${px(x).toFixed(1)},${py(v).toFixed(1)}`);
    const color = COLORS[(i + 1) % COLORS.length];
    parts.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    parts.push(
      `<text x="${pad.l + w + 8}" y="${pad.t + 14 * (i + 1)}" class="ax" fill="${color}">${esc(s.label)}</text>`,
    );
  });
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${parts.join("")}</svg>`;
}

export { esc };

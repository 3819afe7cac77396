// Inline SVG charts for the self-contained HTML report: no scripts, no external assets.
import type { DistributionBucket } from './latency.ts';
import type { SeriesPoint } from './run-report.ts';

const W = 720;
const H = 240;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (n: number) => (n === 0 ? '0' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * p >= v) ?? 10) * p;
}

function axes(yMax: number, yLabel: string, xLabels: { x: number; text: string }[]): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.top + (1 - f) * (H - PAD.top - PAD.bottom);
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>
<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="11">${fmt(yMax * f)}</text>`;
  });
  const xs = xLabels.map(
    (l) =>
      `<text x="${l.x}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11">${esc(l.text)}</text>`,
  );
  return `${ticks.join('\n')}\n${xs.join('\n')}
<text x="12" y="${PAD.top + 4}" font-size="11" transform="rotate(-90 12 ${PAD.top + 4}) translate(-${H / 2} 0)">${esc(yLabel)}</text>`;
}

const SERIES = [
  { key: 'p50Ms', label: 'p50', colour: '#2563eb' },
  { key: 'p95Ms', label: 'p95', colour: '#d97706' },
  { key: 'p99Ms', label: 'p99', colour: '#dc2626' },
] as const;

/** p50/p95/p99 per step; gaps where a step had no requests. */
export function percentilesChart(points: SeriesPoint[], stepSeconds: number): string {
  if (points.length === 0) return '<p>No latency data.</p>';
  const yMax = niceMax(Math.max(...points.flatMap((p) => SERIES.map((s) => p[s.key] ?? 0))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? plotW / 2 : (i / (points.length - 1)) * plotW);
  const y = (v: number) => PAD.top + (1 - v / yMax) * plotH;
  const lines = SERIES.map((s) => {
    const segments: string[] = [];
    let current = '';
    points.forEach((p, i) => {
      const v = p[s.key];
      if (v === null) {
        if (current) segments.push(current);
        current = '';
      } else current += `${current ? ' L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    if (current) segments.push(current);
    // Dots too, so a step between two empty ones (no line to draw) still shows.
    const dots = points
      .map((p, i) =>
        p[s.key] === null
          ? ''
          : `<circle cx="${x(i).toFixed(1)}" cy="${y(p[s.key]!).toFixed(1)}" r="2" fill="${s.colour}"/>`,
      )
      .join('');
    return `<path d="${segments.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"><title>${s.label}</title></path>${dots}`;
  });
  const every = Math.max(1, Math.ceil(points.length / 8));
  const labels = points
    .map((_, i) => ({ x: x(i), text: `${i * stepSeconds}s` }))
    .filter((_, i) => i % every === 0);
  const legend = SERIES.map(
    (s, i) =>
      `<rect x="${PAD.left + 10 + i * 70}" y="${PAD.top}" width="10" height="10" fill="${s.colour}"/><text x="${PAD.left + 24 + i * 70}" y="${PAD.top + 9}" font-size="11">${s.label}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Latency percentiles over time (ms)" font-family="sans-serif">
${axes(yMax, 'ms', labels)}
${lines.join('\n')}
${legend.join('\n')}
</svg>`;
}

/** Requests per latency bucket (bars in bucket order; labels are upper bounds in ms). */
export function distributionChart(buckets: DistributionBucket[]): string {
  if (buckets.length === 0) return '<p>No latency data.</p>';
  const yMax = niceMax(Math.max(...buckets.map((b) => b.count)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bw = plotW / buckets.length;
  const bars = buckets.map((b, i) => {
    const h = (b.count / yMax) * plotH;
    return `<rect x="${(PAD.left + i * bw + 1).toFixed(1)}" y="${(PAD.top + plotH - h).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#2563eb"><title>${fmt(b.lowerMs)}–${fmt(b.upperMs)} ms: ${b.count}</title></rect>`;
  });
  const every = Math.max(1, Math.ceil(buckets.length / 10));
  const labels = buckets
    .map((b, i) => ({ x: PAD.left + (i + 0.5) * bw, text: `≤${fmt(b.upperMs)}` }))
    .filter((_, i) => i % every === 0);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Latency distribution (requests per bucket, ms)" font-family="sans-serif">
${axes(yMax, 'requests', labels)}
${bars.join('\n')}
</svg>`;
}

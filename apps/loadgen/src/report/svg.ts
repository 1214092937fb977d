/** Small, dependency-free SVG charts: grouped bars and lines, readable on GitHub in light and dark. */

export interface BarSeries {
  name: string;
  color: string;
  /** One value per group; null: no value (drawn as "n/a"). */
  values: (number | null)[];
}

export interface BarChart {
  title: string;
  subtitle?: string;
  groups: string[];
  series: BarSeries[];
  unit: string;
  width?: number;
  height?: number;
}

export interface LineSeries {
  name: string;
  color: string;
  points: [number, number][];
  /** Indices of points drawn hollow (e.g. a ramp step that did not hold). */
  hollow?: number[];
}

export interface LineChart {
  title: string;
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Logarithmic y axis (values ≤ 0 are clamped to the smallest tick). */
  yLog?: boolean;
  /** Horizontal reference lines, e.g. a latency limit. */
  hLines?: { y: number; label: string }[];
  width?: number;
  height?: number;
}

export const PALETTE = { platform: '#2563eb', peer: '#ea580c', other: '#16a34a', fourth: '#9333ea' } as const;

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const MARGIN = { top: 64, right: 24, bottom: 64, left: 72 };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** "Nice" tick values covering [min, max]: steps of 1, 2 or 5 × 10^k. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) max = min + 1;
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(round(v, step));
  const last = ticks.at(-1);
  if (last !== undefined && last < max) ticks.push(round(last + step, step));
  return ticks;
}

/** The first and last of a chart's ticks: every axis has at least one. */
function ends(ticks: readonly number[]): [first: number, last: number] {
  const first = ticks[0];
  const last = ticks.at(-1);
  if (first === undefined || last === undefined) throw new RangeError('an axis without ticks');
  return [first, last];
}

/** Powers of ten (with 2 and 5 between when the range is short) covering [min, max], min > 0. */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(Math.max(min, 1e-9)));
  const hi = Math.ceil(Math.log10(Math.max(max, min * 10)));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e++) {
    ticks.push(10 ** e);
    if (hi - lo <= 3 && e < hi) ticks.push(2 * 10 ** e, 5 * 10 ** e);
  }
  return ticks.map((t) => Number(t.toPrecision(6)));
}

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  if (abs >= 100) return String(Math.round(value));
  if (abs >= 10) return trim(value, 1);
  return trim(value, 2);
}

function trim(value: number, digits = 1): string {
  return String(Number(value.toFixed(digits)));
}

function round(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}

function frame(width: number, height: number, title: string, subtitle: string | undefined, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="600" fill="#111827">${escapeXml(title)}</text>`,
    ...wrapSubtitle(subtitle ?? '', Math.floor((width - MARGIN.left - 8) / 6.3)).map(
      (line, i) => `<text x="${MARGIN.left}" y="${41 + i * 14}" fill="#4b5563">${escapeXml(line)}</text>`,
    ),
    ...body,
    '</svg>',
    '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Splits a subtitle at " · " into at most two lines of about `max` characters. */
export function wrapSubtitle(text: string, max: number): string[] {
  if (!text) return [];
  const lines: string[] = [];
  for (const part of text.split(' · ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 3 + part.length <= max) lines[lines.length - 1] = last + ' · ' + part;
    else lines.push(part);
  }
  const [first, ...rest] = lines;
  if (first === undefined || rest.length <= 1) return lines;
  return [first, rest.join(' · ')];
}

function legend(series: { name: string; color: string }[], x: number, y: number): string[] {
  const parts: string[] = [];
  let cursor = x;
  for (const s of series) {
    parts.push(`<rect x="${cursor}" y="${y - 9}" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${cursor + 16}" y="${y + 1}" fill="#111827">${escapeXml(s.name)}</text>`);
    cursor += 28 + s.name.length * 7;
  }
  return parts;
}

export function barChart(chart: BarChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 360;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const ticks = niceTicks(0, Math.max(...all, 0) * 1.08 || 1);
  const [, top] = ends(ticks);
  const y = (v: number) => MARGIN.top + plotH - (Math.max(0, v) / top) * plotH;
  const body: string[] = [];
  for (const t of ticks) {
    body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/>`);
    body.push(`<text x="${MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#4b5563">${formatNumber(t)}</text>`);
  }
  body.push(
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#4b5563">${escapeXml(chart.unit)}</text>`,
  );
  const groupW = plotW / Math.max(1, chart.groups.length);
  const barW = Math.min(48, (groupW * 0.8) / Math.max(1, chart.series.length));
  chart.groups.forEach((group, g) => {
    const x0 = MARGIN.left + g * groupW + (groupW - barW * chart.series.length) / 2;
    chart.series.forEach((s, i) => {
      const value = s.values[g];
      const x = x0 + i * barW;
      if (value === null || value === undefined || !Number.isFinite(value)) {
        body.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y(0) - 4).toFixed(1)}" text-anchor="middle" fill="#9ca3af" font-size="10">n/a</text>`);
        return;
      }
      const h = y(0) - y(value);
      body.push(
        `<rect x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.max(0.5, h).toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${s.name} ${group}: ${value} ${chart.unit}`)}</title></rect>`,
      );
      body.push(
        `<text x="${(x + (barW - 2) / 2).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle" fill="#111827" font-size="10">${formatNumber(value)}</text>`,
      );
    });
    body.push(`<text x="${(MARGIN.left + g * groupW + groupW / 2).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#111827">${escapeXml(group)}</text>`);
  });
  body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(0)}" y2="${y(0)}" stroke="#6b7280"/>`);
  body.push(...legend(chart.series, MARGIN.left, height - 16));
  return frame(width, height, chart.title, chart.subtitle, body);
}

export function lineChart(chart: LineChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 380;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const points = chart.series.flatMap((s) => s.points);
  const xs = points.map((p) => p[0]);
  const ys = [...points.map((p) => p[1]), ...(chart.hLines ?? []).map((l) => l.y)];
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(...xs, 1));
  const yTicks = chart.yLog
    ? logTicks(Math.max(Math.min(...ys.filter((v) => v > 0), 1), 0.1), Math.max(...ys, 1))
    : niceTicks(0, Math.max(...ys, 0) * 1.08 || 1);
  const [x0, x1] = ends(xTicks);
  const [y0, y1] = ends(yTicks);
  const x = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
  const y = chart.yLog
    ? (v: number) => MARGIN.top + plotH - ((Math.log10(Math.max(v, y0)) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0) || 1)) * plotH
    : (v: number) => MARGIN.top + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH;
  const body: string[] = [];
  for (const t of yTicks) {
    body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e5e7eb"/>`);
    body.push(`<text x="${MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" fill="#4b5563">${formatNumber(t)}</text>`);
  }
  for (const t of xTicks) {
    body.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#6b7280"/>`);
    body.push(`<text x="${x(t).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle" fill="#4b5563">${formatNumber(t)}</text>`);
  }
  body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#6b7280"/>`);
  body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#6b7280"/>`);
  body.push(`<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 36}" text-anchor="middle" fill="#4b5563">${escapeXml(chart.xLabel)}</text>`);
  body.push(
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#4b5563">${escapeXml(chart.yLabel + (chart.yLog ? ' (log scale)' : ''))}</text>`,
  );
  for (const line of chart.hLines ?? []) {
    body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(line.y).toFixed(1)}" y2="${y(line.y).toFixed(1)}" stroke="#dc2626" stroke-dasharray="6 4"/>`);
    body.push(`<text x="${MARGIN.left + plotW - 4}" y="${(y(line.y) - 5).toFixed(1)}" text-anchor="end" fill="#dc2626">${escapeXml(line.label)}</text>`);
  }
  for (const s of chart.series) {
    if (s.points.length === 0) continue;
    const path = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)} ${y(p[1]).toFixed(1)}`).join(' ');
    body.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    s.points.forEach((p, i) => {
      const hollow = s.hollow?.includes(i);
      body.push(
        `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="3.5" fill="${hollow ? '#ffffff' : s.color}" stroke="${s.color}" stroke-width="1.5"><title>${escapeXml(`${s.name}: ${p[0]}, ${p[1]}`)}</title></circle>`,
      );
    });
  }
  body.push(...legend(chart.series, MARGIN.left, height - 10));
  return frame(width, height, chart.title, chart.subtitle, body);
}

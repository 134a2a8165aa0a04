/** Small self-contained SVG charts for the HTML report: no scripts, no external files. */

const width = 640;
const height = 260;
const margin = { top: 16, right: 16, bottom: 48, left: 64 };
const palette = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2'];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const fmt = (n: number) => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : Number.isInteger(n) ? String(n) : n.toFixed(2));

function frame(kind: string, title: string, body: string, legend: string[] = []): string {
  const keys = legend.map((name, i) => `<tspan fill="${palette[i % palette.length]}">■ ${escapeHtml(name)}</tspan>`).join(' ');
  return `<figure class="chart"><figcaption>${escapeHtml(title)}</figcaption><svg data-chart="${kind}" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${body}${keys ? `<text x="${margin.left}" y="${height - 8}" font-size="12">${keys}</text>` : ''}</svg></figure>`;
}

/** A round tick step (1, 2 or 5 times a power of ten) giving about four intervals over `span`. */
function niceStep(span: number): number {
  const raw = span / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

function yAxis(max: number, min = 0): { scale: (v: number) => number; svg: string } {
  const step = niceStep(max - min || 1);
  const low = Math.floor(min / step) * step;
  const high = Math.max(low + step, Math.ceil(max / step) * step);
  const plot = height - margin.top - margin.bottom;
  const scale = (v: number) => margin.top + plot - ((v - low) / (high - low)) * plot;
  const ticks = Array.from({ length: Math.round((high - low) / step) + 1 }, (_, i) => low + i * step);
  const svg = ticks
    .map((t) => `<line x1="${margin.left}" x2="${width - margin.right}" y1="${scale(t)}" y2="${scale(t)}" stroke="#e5e7eb"/><text x="${margin.left - 6}" y="${scale(t) + 4}" font-size="11" text-anchor="end">${fmt(Number(t.toPrecision(6)))}</text>`)
    .join('');
  return { scale, svg };
}

/** Lines over an ordered x axis (e.g. days), one per series. */
export function lineChart(title: string, labels: readonly string[], series: ReadonlyArray<{ name: string; values: readonly number[] }>): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const { scale, svg: axis } = yAxis(max);
  // Points sit mid-slot, so the first and last labels are not cut at the edges.
  const step = (width - margin.left - margin.right) / Math.max(1, labels.length);
  const x = (i: number) => margin.left + (i + 0.5) * step;
  const lines = series
    .map((s, k) => {
      const points = s.values.map((v, i) => `${x(i).toFixed(1)},${scale(v).toFixed(1)}`).join(' ');
      const dots = s.values.map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${scale(v).toFixed(1)}" r="3" fill="${palette[k % palette.length]}"><title>${escapeHtml(`${s.name} ${labels[i]}: ${fmt(v)}`)}</title></circle>`).join('');
      return `<polyline class="series" fill="none" stroke="${palette[k % palette.length]}" stroke-width="2" points="${points}"/>${dots}`;
    })
    .join('');
  const xLabels = labels.map((l, i) => `<text x="${x(i)}" y="${height - margin.bottom + 16}" font-size="11" text-anchor="middle">${escapeHtml(l)}</text>`).join('');
  return frame('line', title, axis + lines + xLabels, series.map((s) => s.name));
}

/** Grouped bars per category, one bar per series; an optional dashed reference line. */
export function barChart(title: string, categories: readonly string[], series: ReadonlyArray<{ name: string; values: readonly number[] }>, reference?: { value: number; label: string }): string {
  const values = series.flatMap((s) => s.values);
  const max = Math.max(1, ...values, reference?.value ?? 0);
  const min = Math.min(0, ...values);
  const { scale, svg: axis } = yAxis(max, min);
  const group = (width - margin.left - margin.right) / Math.max(1, categories.length);
  const bar = (group * 0.8) / Math.max(1, series.length);
  const bars = categories
    .map((c, i) =>
      series
        .map((s, k) => {
          const v = s.values[i] ?? 0;
          const x = margin.left + i * group + group * 0.1 + k * bar;
          const top = scale(Math.max(v, 0));
          const h = Math.max(1, Math.abs(scale(v) - scale(0)));
          return `<rect class="bar" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(1, bar - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${palette[k % palette.length]}"><title>${escapeHtml(`${c} ${s.name}: ${fmt(v)}`)}</title></rect>`;
        })
        .join('') + `<text x="${margin.left + i * group + group / 2}" y="${height - margin.bottom + 16}" font-size="11" text-anchor="middle">${escapeHtml(c)}</text>`,
    )
    .join('');
  const line = reference
    ? `<line x1="${margin.left}" x2="${width - margin.right}" y1="${scale(reference.value)}" y2="${scale(reference.value)}" stroke="#111827" stroke-dasharray="6 4"/><text x="${width - margin.right}" y="${scale(reference.value) - 4}" font-size="11" text-anchor="end">${escapeHtml(reference.label)}</text>`
    : '';
  return frame('bar', title, axis + bars + line, series.map((s) => s.name));
}

/** Point estimates with their confidence intervals, one per item (lift per study); labels alternate in height so long ones do not collide. */
export function intervalChart(title: string, items: ReadonlyArray<{ label: string; estimate: number; low: number; high: number }>): string {
  const values = items.flatMap((i) => [i.low, i.high, i.estimate]);
  const max = Math.max(0.01, ...values);
  const min = Math.min(0, ...values);
  const { scale, svg: axis } = yAxis(max, min);
  const step = (width - margin.left - margin.right) / Math.max(1, items.length);
  const marks = items
    .map((item, i) => {
      const x = margin.left + step * (i + 0.5);
      return `<line class="interval" x1="${x}" x2="${x}" y1="${scale(item.low)}" y2="${scale(item.high)}" stroke="${palette[0]}" stroke-width="2"/><circle class="estimate" cx="${x}" cy="${scale(item.estimate)}" r="5" fill="${palette[0]}"><title>${escapeHtml(`${item.label}: ${fmt(item.estimate)} [${fmt(item.low)}, ${fmt(item.high)}]`)}</title></circle><text x="${x}" y="${height - margin.bottom + 16 + (i % 2) * 14}" font-size="11" text-anchor="middle">${escapeHtml(item.label)}</text>`;
    })
    .join('');
  const zero = `<line x1="${margin.left}" x2="${width - margin.right}" y1="${scale(0)}" y2="${scale(0)}" stroke="#111827"/>`;
  return frame('interval', title, axis + zero + marks);
}

/**
 * An estimate over an ordered x axis (days) inside its band (a confidence sequence), with the
 * zero line: the daily lift of a study, which may be read on any day.
 */
export function bandChart(title: string, labels: readonly string[], points: ReadonlyArray<{ estimate: number; low: number; high: number }>): string {
  const values = points.flatMap((p) => [p.low, p.high, p.estimate]);
  const { scale, svg: axis } = yAxis(Math.max(0.01, ...values), Math.min(0, ...values));
  const step = (width - margin.left - margin.right) / Math.max(1, labels.length);
  const x = (i: number) => margin.left + (i + 0.5) * step;
  const upper = points.map((p, i) => `${x(i).toFixed(1)},${scale(p.high).toFixed(1)}`);
  const lower = points.map((p, i) => `${x(i).toFixed(1)},${scale(p.low).toFixed(1)}`).reverse();
  const band = `<polygon class="band" fill="${palette[0]}" fill-opacity="0.18" stroke="none" points="${[...upper, ...lower].join(' ')}"/>`;
  const line = `<polyline class="series" fill="none" stroke="${palette[0]}" stroke-width="2" points="${points.map((p, i) => `${x(i).toFixed(1)},${scale(p.estimate).toFixed(1)}`).join(' ')}"/>`;
  const dots = points
    .map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${scale(p.estimate).toFixed(1)}" r="3" fill="${palette[0]}"><title>${escapeHtml(`${labels[i]}: ${fmt(p.estimate)} [${fmt(p.low)}, ${fmt(p.high)}]`)}</title></circle>`)
    .join('');
  const zero = `<line x1="${margin.left}" x2="${width - margin.right}" y1="${scale(0)}" y2="${scale(0)}" stroke="#111827"/>`;
  const xLabels = labels.map((l, i) => `<text x="${x(i)}" y="${height - margin.bottom + 16}" font-size="11" text-anchor="middle">${escapeHtml(l)}</text>`).join('');
  return frame('band', title, axis + band + zero + line + dots + xLabels, ['estimate; shaded: its confidence sequence']);
}

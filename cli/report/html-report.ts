import { toLiftRows } from './lift-table.ts';
import { computeStudyLifts, type ReportData, type SectionData } from './report-data.ts';
import { sectionTitles } from './section-titles.ts';
import { computeStudyPowers, plannedLift, toPowerRows } from './study-power.ts';
import { bandChart, barChart, escapeHtml, intervalChart, lineChart } from './svg-charts.ts';

type Rows = Array<Record<string, unknown>>;

const numbers = (rows: Rows, column: string) => rows.map((r) => Number(r[column] ?? 0));
const labels = (rows: Rows, ...columns: string[]) => rows.map((r) => columns.map((c) => String(r[c] ?? '')).join(' · '));

function table(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const cell = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Charts of a section's rows; none when it has no rows. */
const charts: Record<keyof ReportData, (rows: Rows) => string> = {
  delivery: (rows) =>
    lineChart(
      'Downloads, ad deliveries and bot requests per day',
      labels(rows, 'day'),
      ['downloads', 'ads_delivered', 'ghost_ads_delivered', 'bot_requests'].map((name) => ({ name, values: numbers(rows, name) })),
    ),
  geography: (rows) => barChart('Downloads per country', labels(rows, 'country'), [{ name: 'downloads', values: numbers(rows, 'downloads') }]),
  excluded: (rows) => barChart('Requests excluded, by reason and network', labels(rows, 'reason', 'network'), [{ name: 'requests', values: numbers(rows, 'requests') }]),
  reach: (rows) =>
    barChart('Households and listeners reached', labels(rows, 'campaign_id', 'month'), [
      { name: 'households_reached', values: numbers(rows, 'households_reached') },
      { name: 'listeners_reached', values: numbers(rows, 'listeners_reached') },
    ]) + barChart('Average frequency (impressions per household)', labels(rows, 'campaign_id', 'month'), [{ name: 'average_frequency', values: numbers(rows, 'average_frequency') }]),
  discrepancy: (rows) =>
    barChart('Discrepancy: Earshot against the vendor net of GIVT (%)', labels(rows, 'campaign_id', 'vendor'), [{ name: 'discrepancy_pct', values: numbers(rows, 'discrepancy_pct') }], {
      value: 5,
      label: 'IAB 5% guideline',
    }),
  // Conversions are a few percent of the households reached: on one scale they would not show.
  attribution: (rows) =>
    barChart('Households reached', labels(rows, 'campaign_id'), [{ name: 'households_reached', values: numbers(rows, 'households_reached') }]) +
    barChart(
      'Attributed visitors and conversions',
      labels(rows, 'campaign_id'),
      ['attributed_visitors', 'attributed_conversions', 'cross_device_conversions'].map((name) => ({ name, values: numbers(rows, name) })),
    ),
  lift: (rows) => {
    const lifts = computeStudyLifts({ ok: true, columns: [], rows }).flatMap(({ study, result }) =>
      result ? [{ label: study, estimate: result.rel_lift * 100, low: result.ci_rel[0] * 100, high: result.ci_rel[1] * 100 }] : [],
    );
    return lifts.length ? intervalChart('Relative lift with its 95% interval (%)', lifts) : '';
  },
  // One chart per study: its intent-to-treat lift day by day inside the always-valid sequence.
  liftDaily: (rows) => {
    const studies = [...new Set(rows.filter((r) => r.comparison === 'intent_to_treat').map((r) => String(r.study_id)))];
    return studies
      .map((study) => {
        const days = rows.filter((r) => r.study_id === study && r.comparison === 'intent_to_treat' && r.abs_lift !== null);
        const points = days.map((r) => ({ estimate: Number(r.abs_lift) * 100, low: Number(r.cs_abs_low) * 100, high: Number(r.cs_abs_high) * 100 }));
        return points.length ? bandChart(`${study}: lift (test − control, points) per day with its 95% confidence sequence`, labels(days, 'day'), points) : '';
      })
      .join('');
  },
};

function section(name: keyof ReportData, data: SectionData): string {
  const heading = `<h2>${escapeHtml(sectionTitles[name])}</h2>`;
  if (!data.ok) return `<section id="${name}">${heading}<p class="missing">Not available: ${escapeHtml(data.reason)}</p></section>`;
  if (!data.rows.length) return `<section id="${name}">${heading}<p class="missing">No rows yet.</p></section>`;
  const liftTable = name === 'lift' ? toLiftRows(computeStudyLifts(data)) : undefined;
  const powerTable = name === 'liftDaily' ? toPowerRows(computeStudyPowers(data)) : undefined;
  const power = powerTable?.rows.length
    ? `<h3>Power of each study</h3><p>Smallest relative lift detectable now (80% power, two-sided α = 0.05) and the days until a ${plannedLift * 100}% lift is, at the households a day so far.</p>${table(powerTable.columns, powerTable.rows)}`
    : '';
  const tables = table(data.columns, data.rows) + (liftTable ? table(liftTable.columns, liftTable.rows) : '') + power;
  return `<section id="${name}">${heading}${charts[name](data.rows)}${tables}</section>`;
}

const style = `body{font:14px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#111827}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.5rem;border-bottom:1px solid #e5e7eb}
figure.chart{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}
table{border-collapse:collapse;margin:1rem 0;font-size:12px;display:block;overflow-x:auto}
th,td{border:1px solid #e5e7eb;padding:2px 6px;text-align:right;white-space:nowrap}th{background:#f9fafb}
.missing{color:#6b7280}`;

/** The report as one self-contained HTML file: inline style and SVG, no scripts, nothing fetched. */
export function renderHtmlReport(data: ReportData, heading: string): string {
  const body = (Object.keys(sectionTitles) as Array<keyof ReportData>).map((name) => section(name, data[name])).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(heading)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${style}</style></head>
<body><h1>${escapeHtml(heading)}</h1>
${body}
</body></html>
`;
}

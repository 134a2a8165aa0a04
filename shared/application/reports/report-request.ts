import type { FieldError } from '../../contracts/schemas/validator.ts';
import type { Granularity, ReportFilters, ReportSpec } from './report-specs.ts';

export const reportLimits = {
  /** Longest window a report covers, in days (both ends included). */
  maxSpanDays: 366,
  /** Rows per page: the default and the most a client may ask for. */
  maxPageRows: 1000,
  /** Rows a report may be paged through, in all. */
  maxOffset: 100_000,
} as const;

export interface ReportRequest {
  filters: ReportFilters;
  format: 'json' | 'csv';
  limit: number;
  cursor?: string;
}

const known = new Set(['from', 'to', 'campaign', 'show', 'study', 'granularity', 'format', 'limit', 'cursor']);
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayMs = 86_400_000;

/** Milliseconds since the epoch of a real calendar day `YYYY-MM-DD`, or undefined. */
function tryDay(text: string): number | undefined {
  const m = dayPattern.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

type Parsed = { ok: true; value: ReportRequest } | { ok: false; errors: FieldError[] };

/**
 * Checks a report's query string. Filter values are data, bound as parameters, so any text is
 * allowed in them (a value no tenant has simply finds no rows); only the shape is checked here.
 */
export function tryParseReportRequest(spec: ReportSpec, query: URLSearchParams, settings: Pick<ReportFilters, 'thresholdPct'>): Parsed {
  const errors: FieldError[] = [];
  const fail = (name: string, rule: string, message: string) => errors.push({ path: `query/${name}`, rule, message });
  for (const name of new Set(query.keys())) {
    if (!known.has(name)) fail(name, 'unknown', 'is not a parameter of the reports API');
    else if (query.getAll(name).length > 1) fail(name, 'single', 'must be given once');
  }
  const text = (name: string) => query.get(name) ?? undefined;

  const from = text('from');
  const to = text('to');
  const fromMs = from === undefined ? undefined : tryDay(from);
  const toMs = to === undefined ? undefined : tryDay(to);
  if (from === undefined) fail('from', 'required', 'is required (YYYY-MM-DD)');
  else if (fromMs === undefined) fail('from', 'format', 'must be a date YYYY-MM-DD');
  if (to === undefined) fail('to', 'required', 'is required (YYYY-MM-DD)');
  else if (toMs === undefined) fail('to', 'format', 'must be a date YYYY-MM-DD');
  if (fromMs !== undefined && toMs !== undefined) {
    if (toMs < fromMs) fail('to', 'range', 'must not be before from');
    else if ((toMs - fromMs) / dayMs + 1 > reportLimits.maxSpanDays) fail('to', 'range', `must be at most ${reportLimits.maxSpanDays} days after from, both included`);
  }

  const granularity = text('granularity') ?? spec.granularities[0];
  if (!spec.granularities.includes(granularity as Granularity)) fail('granularity', 'enum', `must be one of ${spec.granularities.join(', ')}`);
  const format = text('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') fail('format', 'enum', 'must be json or csv');

  const limitText = text('limit');
  const limit = limitText === undefined ? reportLimits.maxPageRows : /^\d{1,5}$/.test(limitText) ? Number(limitText) : NaN;
  if (!(limit >= 1 && limit <= reportLimits.maxPageRows)) fail('limit', 'range', `must be a whole number from 1 to ${reportLimits.maxPageRows}`);

  const filters: Partial<Record<'campaign' | 'show' | 'study', string>> = {};
  for (const name of ['campaign', 'show', 'study'] as const) {
    const value = text(name);
    if (value === undefined) continue;
    if (!(name in spec.filters)) fail(name, 'unsupported', `is not a filter of the ${spec.name} report`);
    else if (value.length < 1 || value.length > 200) fail(name, 'length', 'must be 1 to 200 characters');
    else filters[name] = value;
  }
  const cursor = text('cursor');
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      filters: {
        from: from as string,
        to: to as string,
        until: new Date((toMs as number) + dayMs).toISOString().slice(0, 10),
        before: new Date((fromMs as number) - dayMs).toISOString().slice(0, 10),
        after: new Date((toMs as number) + 2 * dayMs).toISOString().slice(0, 10),
        thresholdPct: settings.thresholdPct,
        granularity: granularity as Granularity,
        ...filters,
      },
      format: format as 'json' | 'csv',
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    },
  };
}

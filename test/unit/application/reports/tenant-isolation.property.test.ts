import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportNames, reportSpecs } from '../../../../shared/application/reports/report-specs.ts';
import { bodyOf, openReportClient, type ReportClient } from '../../../support/report-client.ts';
import { campaignOf, showOf, studyOf, tenants } from '../../../support/report-seed.ts';

let client: ReportClient;
beforeAll(async () => {
  client = await openReportClient();
});
afterAll(async () => client.warehouse.close());

// Values a filter may take: every tenant's ids, near misses, and injection attempts.
const names = [...Object.values(campaignOf), ...Object.values(showOf), ...Object.values(studyOf), 'c1 ', 'C1', "c1' OR '1'='1", '%', '*', ''];
const optional = <T,>(values: fc.Arbitrary<T>) => fc.option(values, { nil: undefined, freq: 2 });
const day = fc.integer({ min: 0, max: 15 }).map((n) => new Date(Date.UTC(2026, 10, 1 + n)).toISOString().slice(0, 10));

const filters = fc.record({
  report: fc.constantFrom(...reportNames),
  key: fc.constantFrom<[string, string]>(['a1', tenants.advertisers.a1], ['p1', tenants.platforms.p1]),
  from: day,
  span: fc.integer({ min: 0, max: 30 }),
  campaign: optional(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 }))),
  show: optional(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 }))),
  study: optional(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 }))),
  granularity: optional(fc.constantFrom<Array<'day' | 'month'>>('day', 'month')),
  format: fc.constantFrom('json', 'csv'),
  limit: optional(fc.integer({ min: 1, max: 4 })),
});

describe('tenant isolation (property)', () => {
  it("random filters for one tenant never return another tenant's row, nor a 5xx", async () => {
    const numRuns = Number(process.env.EARSHOT_FUZZ_RUNS ?? 150);
    let answeredRows = 0;
    await fc.assert(
      fc.asyncProperty(filters, async (f) => {
        const to = new Date(Date.parse(f.from) + f.span * 86_400_000).toISOString().slice(0, 10);
        const query = new URLSearchParams({ from: f.from, to, format: f.format });
        // Mostly the filters the report has (others are a 400, checked elsewhere).
        const spec = reportSpecs[f.report];
        for (const name of ['campaign', 'show', 'study'] as const) if (f[name] !== undefined && (name in spec.filters || f.span === 0)) query.set(name, f[name]);
        if (f.granularity !== undefined && spec.granularities.includes(f.granularity)) query.set('granularity', f.granularity);
        if (f.limit !== undefined) query.set('limit', String(f.limit));
        const [tenant, key] = f.key;
        const response = await client.get(`/v1/${f.report}?${query}`, key);
        expect(response.status).toBeLessThan(500);
        if (response.status !== 200) return;
        const text = String(response.body);
        if (text.split('\n').length > 2 || (f.format === 'json' && bodyOf(response).rows.length > 0)) answeredRows++;
        // No row, cell or header of the other tenants anywhere in the answer, in either format.
        const foreign = tenant === 'a1' ? [campaignOf.a2, 'a2', studyOf.a2] : [showOf.p2, 'p2'];
        if (f.format === 'csv') {
          for (const cell of text.split(/[,\r\n]/)) expect(foreign).not.toContain(cell);
          return;
        }
        for (const row of bodyOf(response).rows) for (const value of Object.values(row)) expect(foreign).not.toContain(value);
      }),
      { numRuns },
    );
    // The property says something only if many answers held rows.
    expect(answeredRows).toBeGreaterThan(numRuns / 20);
  });
});

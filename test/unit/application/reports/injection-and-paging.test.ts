import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeReportQuery } from '../../../../shared/application/reports/report-query.ts';
import { reportNames, reportSpecs } from '../../../../shared/application/reports/report-specs.ts';
import { bigQueryDialect, duckDbDialect } from '../../../../shared/application/warehouse/dialect.ts';
import { bodyOf, openReportClient, type ReportClient } from '../../../support/report-client.ts';
import { tenants } from '../../../support/report-seed.ts';

let client: ReportClient;
beforeAll(async () => {
  client = await openReportClient();
});
afterAll(async () => client.warehouse.close());

const window = 'from=2026-11-01&to=2026-11-30';
const injections = [
  "' OR '1'='1",
  "c1' OR campaign_id IS NOT NULL --",
  '"; DROP TABLE beacon_events; --',
  "c1') UNION ALL SELECT * FROM delivery_daily --",
  '$tenant_campaigns',
  '@tenant_platform',
  '{{dataset}}',
  '\\',
  '%',
  "\u0000'",
];

describe('injection strings in every parameter', () => {
  const parameters = ['from', 'to', 'campaign', 'show', 'study', 'granularity', 'format', 'limit', 'cursor'];
  for (const report of reportNames) {
    for (const parameter of parameters) {
      it(`${report} ${parameter}: no 5xx, no other tenant's row`, async () => {
        for (const value of injections) {
          const query = new URLSearchParams(window);
          query.set(parameter, value);
          const response = await client.get(`/v1/${report}?${query}`, tenants.advertisers.a1);
          expect(response.status, value).toBeLessThan(500);
          if (response.status === 200) for (const row of bodyOf(response).rows) expect(row.campaign_id ?? 'c1', value).toBe('c1');
          else expect(response.status, value).toBe(400);
        }
      });
    }
  }

  it('leaves every value out of the SQL text, in both dialects', () => {
    for (const dialect of [bigQueryDialect, duckDbDialect]) {
      for (const report of reportNames) {
        const spec = reportSpecs[report];
        const filters = { from: '2026-11-01', to: '2026-11-30', until: '2026-12-01', before: '2026-10-31', after: '2026-12-02', thresholdPct: '5', granularity: spec.granularities[0] ?? 'day', campaign: injections[0], show: injections[1], study: injections[2] };
        const tenants = [{ kind: 'advertiser' as const, id: "a1' --", campaigns: ["c1' --"], claimed: ["c2' --"] }, { kind: 'analyst' as const, id: 'n1' }];
        for (const tenant of tenants) {
          const { sql, params } = computeReportQuery(dialect, spec, tenant, filters, { offset: 0, rows: 11 });
          expect(sql).not.toContain("'1'='1");
          expect(sql).not.toContain("' --");
          expect(sql).not.toContain('2026-11');
          for (const value of Object.values(params)) if (typeof value === 'string' && value.length > 3) expect(sql).not.toContain(value);
        }
      }
    }
  });
});

describe('cursor pagination', () => {
  it('pages through every row once, in order, and ends without a cursor', async () => {
    const whole = bodyOf(await client.get(`/v1/delivery?${window}`, tenants.analyst)).rows;
    expect(whole.length).toBeGreaterThan(10);
    const paged: unknown[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await client.get(`/v1/delivery?${window}&limit=4${cursor ? `&cursor=${cursor}` : ''}`, tenants.analyst);
      expect(response.status).toBe(200);
      const body = bodyOf(response);
      expect(body.rows.length).toBeLessThanOrEqual(4);
      paged.push(...body.rows);
      if (body.next) expect(response.headers?.link).toContain(`cursor=${body.next}`);
      cursor = body.next;
      pages++;
    } while (cursor && pages < 50);
    expect(paged).toEqual(whole);
    expect(pages).toBe(Math.ceil(whole.length / 4));
  });

  it('pages CSV the same way (Link header)', async () => {
    const first = await client.get(`/v1/delivery?${window}&limit=4&format=csv`, tenants.analyst);
    const link = /<([^>]+)>; rel="next"/.exec(String(first.headers?.link))?.[1];
    expect(link).toBeDefined();
    const second = await client.get(String(link).replace('/reports', ''), tenants.analyst);
    expect(second.status).toBe(200);
    expect(String(second.body).split('\r\n')[0]).toBe(String(first.body).split('\r\n')[0]);
    expect(String(second.body)).not.toBe(String(first.body));
  });

  const refused: Array<[string, string, string]> = [
    ['another tenant', tenants.advertisers.a2, ''],
    ['another window', tenants.analyst, '&to=2026-11-29'],
    ['another page size', tenants.analyst, '&limit=5'],
    ['another filter', tenants.analyst, '&campaign=c1'],
  ];
  for (const [name, key, change] of refused) {
    it(`refuses a cursor used with ${name}`, async () => {
      const next = bodyOf(await client.get(`/v1/delivery?${window}&limit=4`, tenants.analyst)).next;
      const base = new URLSearchParams(`${window}&limit=4`);
      for (const [k, v] of new URLSearchParams(change)) base.set(k, v);
      base.set('cursor', String(next));
      const response = await client.get(`/v1/delivery?${base}`, key);
      expect(response.status).toBe(400);
      expect(bodyOf(response)).toMatchObject({ details: [{ path: 'query/cursor' }] });
    });
  }
});

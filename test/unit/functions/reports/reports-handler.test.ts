import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportNames } from '../../../../shared/application/reports/report-specs.ts';
import { bodyOf, openReportClient, type ReportClient } from '../../../support/report-client.ts';
import { campaignOf, showOf, studyOf, tenants } from '../../../support/report-seed.ts';

let client: ReportClient;
beforeAll(async () => {
  client = await openReportClient();
});
afterAll(async () => client.warehouse.close());

const window = 'from=2026-11-01&to=2026-11-30';
type Row = Record<string, unknown>;

/** Whether a row may be shown to each kind of key, by the columns that name its tenant. */
const belongs: Record<string, (row: Row) => boolean> = {
  analyst: () => true,
  a1: (row) => (row.campaign_id === undefined || row.campaign_id === campaignOf.a1 || row.campaign_id === 'c-unlisted') && (row.advertiser_id === undefined || row.advertiser_id === 'a1'),
  p1: (row) => row.platform === undefined || row.platform === 'p1',
};
const keyOf = { analyst: tenants.analyst, a1: tenants.advertisers.a1, p1: tenants.platforms.p1 } as const;
const allowed: Record<keyof typeof keyOf, readonly string[]> = {
  analyst: reportNames,
  a1: reportNames,
  p1: ['delivery', 'reach', 'discrepancy'],
};

/** CSV rows back to objects, for the few plain values the seed holds (no quoting). */
function parseCsv(text: string): Row[] {
  const [header, ...lines] = text.trimEnd().split('\r\n');
  const columns = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v === '' ? undefined : v])));
}

describe('every report, in both formats, for each kind of key', () => {
  for (const kind of Object.keys(keyOf) as Array<keyof typeof keyOf>) {
    for (const report of reportNames) {
      for (const format of ['json', 'csv'] as const) {
        const permitted = allowed[kind].includes(report);
        it(`${kind} ${report} ${format}: ${permitted ? "only the tenant's rows" : '403'}`, async () => {
          const response = await client.get(`/v1/${report}?${window}&format=${format}`, keyOf[kind]);
          if (!permitted) {
            expect(response.status).toBe(403);
            expect(bodyOf(response)).toMatchObject({ error: 'forbidden', details: [{ path: 'headers/authorization' }] });
            return;
          }
          expect(response.status).toBe(200);
          const rows = format === 'json' ? bodyOf(response).rows : parseCsv(String(response.body));
          if (format === 'csv') expect(response.headers?.['content-type']).toMatch(/^text\/csv/);
          expect(rows.length).toBeGreaterThan(0);
          for (const row of rows) expect(belongs[kind]?.(row), JSON.stringify(row)).toBe(true);
          // The analyst sees both tenants' rows; the others see fewer.
          if (kind === 'analyst' && report !== 'delivery') expect(new Set(rows.map((r) => r.campaign_id ?? r.study_id)).size).toBe(2);
        });
      }
    }
  }

  it("answers the platform's discrepancy from its own deliveries and the verdicts on its own requests", async () => {
    const rows = async (key: string) => bodyOf(await client.get(`/v1/discrepancy?${window}&campaign=${campaignOf.a1}`, key)).rows;
    const all = await rows(tenants.analyst);
    const own = await rows(tenants.platforms.p1);
    expect(own.map((r) => r.day)).toEqual(all.map((r) => r.day));
    expect(own.map((r) => [r.earshot_ad_deliveries, r.vendor_impressions, r.givt_impressions])).toEqual(
      all.map((r) => [Number(r.earshot_ad_deliveries) / 2, Number(r.vendor_impressions) / 2, Number(r.givt_impressions) / 2]),
    );
    expect(own.every((r) => r.threshold_pct === 5)).toBe(true);
  });

  it("answers the platform's reach from its own deliveries only", async () => {
    const all = bodyOf(await client.get(`/v1/reach?${window}`, tenants.analyst)).rows;
    const own = bodyOf(await client.get(`/v1/reach?${window}`, tenants.platforms.p1)).rows;
    expect(own.map((r) => r.impressions)).toEqual(all.map((r) => Number(r.impressions) / 2));
  });
});

describe("ads a platform labelled with an advertiser's id", () => {
  it('belong to that advertiser when their campaign is unlisted, never when another advertiser lists it', async () => {
    const campaigns = (key: string) => client.get(`/v1/delivery?${window}`, key).then((r) => new Set(bodyOf(r).rows.map((row) => row.campaign_id)));
    expect(await campaigns(tenants.advertisers.a1)).toEqual(new Set([campaignOf.a1, 'c-unlisted']));
    expect(await campaigns(tenants.advertisers.a2)).toEqual(new Set([campaignOf.a2]));
    // a2 sees all of its campaign's deliveries, the mislabelled ones included, as the analyst does.
    const total = (key: string) =>
      client.get(`/v1/delivery?${window}&campaign=${campaignOf.a2}`, key).then((r) => bodyOf(r).rows.reduce((sum, row) => sum + Number(row.ads_delivered), 0));
    expect(await total(tenants.advertisers.a2)).toBe(await total(tenants.analyst));
    expect(await total(tenants.advertisers.a2)).toBeGreaterThan(0);
  });
});

describe('filters outside the tenant answer like filters naming nothing', () => {
  const cases: Array<[string, string, string]> = [
    ['advertiser a1, campaign of a2', `/v1/delivery?${window}&campaign=${campaignOf.a2}`, tenants.advertisers.a1],
    ['advertiser a1, made-up campaign', `/v1/delivery?${window}&campaign=nope`, tenants.advertisers.a1],
    ['advertiser a1, reach of a2', `/v1/reach?${window}&campaign=${campaignOf.a2}`, tenants.advertisers.a1],
    ['advertiser a1, discrepancy of a2', `/v1/discrepancy?${window}&campaign=${campaignOf.a2}`, tenants.advertisers.a1],
    ['advertiser a1, attribution of a2', `/v1/attribution?${window}&campaign=${campaignOf.a2}`, tenants.advertisers.a1],
    ['advertiser a1, study of a2', `/v1/lift?${window}&study=${studyOf.a2}`, tenants.advertisers.a1],
    ['advertiser a1, made-up study', `/v1/lift?${window}&study=nope`, tenants.advertisers.a1],
    ['platform p1, show of p2', `/v1/delivery?${window}&show=${showOf.p2}`, tenants.platforms.p1],
    ['platform p1, made-up show', `/v1/delivery?${window}&show=nope`, tenants.platforms.p1],
    ['platform p1, reach on a show of p2', `/v1/reach?${window}&show=${showOf.p2}`, tenants.platforms.p1],
  ];
  for (const [name, path, key] of cases) {
    it(name, async () => {
      const response = await client.get(path, key);
      expect(response.status).toBe(200);
      expect(bodyOf(response).rows).toEqual([]);
      expect(bodyOf(response).next).toBeUndefined();
    });
  }

  it('finds the tenant’s own rows with the same filter', async () => {
    const rows = bodyOf(await client.get(`/v1/delivery?${window}&show=${showOf.p1}`, tenants.platforms.p1)).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.show_id))).toEqual(new Set([showOf.p1]));
  });
});

describe('keys and routes', () => {
  const cases: Array<[string, string, string | undefined, number]> = [
    ['no key', `/v1/delivery?${window}`, undefined, 401],
    ['an unknown key', `/v1/delivery?${window}`, 'pk_not_a_configured_key_at_all', 401],
    ['a vendor secret', `/v1/delivery?${window}`, 'whsec_cmVwb3J0LXRlc3QtdmVuZG9yLXNlY3JldA==', 401],
    ['an unknown report', `/v1/revenue?${window}`, tenants.analyst, 404],
    ['no version', `/delivery?${window}`, tenants.analyst, 404],
    ['the OpenAPI document without a key', '/v1/openapi.json', undefined, 200],
    ['health', '/healthz', undefined, 200],
  ];
  for (const [name, path, key, status] of cases) {
    it(`${name}: ${status}`, async () => {
      const response = await client.get(path, key);
      expect(response.status).toBe(status);
      expect(response.headers?.['content-type']).toBe('application/json');
      if (status >= 400) expect(bodyOf(response)).toMatchObject({ error: expect.any(String), details: [{ path: expect.any(String), message: expect.any(String) }] });
    });
  }

  it('decides route, method and key from the head, before any body', () => {
    const head = (method: string, path: string, authorization?: string) => ({
      method,
      path,
      query: new URLSearchParams(),
      headers: authorization ? { authorization: `Bearer ${authorization}` } : {},
      clientIp: undefined,
    });
    const admit = client.handler.admit;
    expect(admit?.(head('GET', '/v1/delivery', tenants.analyst))).toMatchObject({ ok: true });
    expect(admit?.(head('GET', '/v1/delivery'))).toMatchObject({ ok: false, response: { status: 401 } });
    expect(admit?.(head('POST', '/v1/delivery', tenants.analyst))).toMatchObject({ ok: false, response: { status: 405 } });
    expect(admit?.(head('GET', '/v1/lift', tenants.platforms.p1))).toMatchObject({ ok: false, response: { status: 403 } });
    expect(admit?.(head('GET', '/nope'))).toMatchObject({ ok: false, response: { status: 404 } });
  });
});

describe('bad parameters: 400 with the field at fault', () => {
  const cases: Array<[string, string, string]> = [
    ['no dates', '', 'query/from'],
    ['no to', 'from=2026-11-01', 'query/to'],
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-01', 'query/from'],
    ['to before from', 'from=2026-11-10&to=2026-11-01', 'query/to'],
    ['a span over 366 days', 'from=2025-01-01&to=2026-11-01', 'query/to'],
    ['an unknown format', `${window}&format=xml`, 'query/format'],
    ['an unknown granularity', `${window}&granularity=hour`, 'query/granularity'],
    ['a page too large', `${window}&limit=100000`, 'query/limit'],
    ['a page of none', `${window}&limit=0`, 'query/limit'],
    ['a parameter given twice', `${window}&campaign=c1&campaign=c2`, 'query/campaign'],
    ['an unknown parameter', `${window}&advertiser=a2`, 'query/advertiser'],
    ['a filter the report lacks', `${window}&study=${studyOf.a1}`, 'query/study'],
    ['a forged cursor', `${window}&cursor=eyJvIjoxLCJkIjoieCJ9`, 'query/cursor'],
    ['a cursor that is no base64url', `${window}&cursor=%3D%3D`, 'query/cursor'],
  ];
  for (const [name, query, path] of cases) {
    it(name, async () => {
      const response = await client.get(`/v1/delivery?${query}`, tenants.analyst);
      expect(response.status).toBe(400);
      expect(bodyOf(response)).toMatchObject({ error: 'invalid request', details: expect.arrayContaining([expect.objectContaining({ path })]) });
    });
  }
});

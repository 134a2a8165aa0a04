import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createReportsHandler } from '../../../functions/reports/handler.ts';
import type { BigQueryApi } from '../../../shared/adapters/gcp/bigquery-api.ts';
import { BigQueryReportSource } from '../../../shared/adapters/gcp/bigquery-report-source.ts';
import { GoogleApi } from '../../../shared/adapters/gcp/google-api.ts';
import { ReportQueryError } from '../../../shared/contracts/ports.ts';
import { FakeBigQueryServer, QueryRefusal, type QueryAnswer } from '../../support/fake-bigquery-server.ts';
import { fixedClock, httpRequest, quietLog } from '../../support/fixtures.ts';
import { reportConfig, tenants } from '../../support/report-seed.ts';

const projectId = 'earshot-test';
const accessToken = 'fake-access-token';
const limits = { maxRows: 3, maxBytesBilled: 10 * 1024 ** 3, timeoutMs: 20_000 };

let server: FakeBigQueryServer;
let answer: (body: Record<string, unknown>) => QueryAnswer;

/** The REST API on the fake, as on googleapis.com (`/bigquery/v2`), with a fixed token; `attempts: 1` retries nothing. */
function clientFor(fake: FakeBigQueryServer, attempts = 4): BigQueryApi {
  return { api: new GoogleApi({ baseUrl: `${fake.url}/bigquery/v2`, token: async () => accessToken, attempts }), project: async () => projectId };
}

beforeAll(async () => {
  server = await FakeBigQueryServer.start({ projectId, datasetId: 'earshot', tables: {}, accessToken, answerQuery: (body) => answer(body) });
});
afterAll(async () => server.close());
afterEach(() => server.reset());

const liftAnswer: QueryAnswer = {
  fields: [
    { name: 'study_id', type: 'STRING' },
    { name: 'control_households', type: 'INTEGER' },
    { name: 'p_value', type: 'FLOAT' },
    { name: 'exceeds', type: 'BOOLEAN' },
  ],
  rows: [
    ['s1', '40', '0.031', 'true'],
    ['s2', '0', null, 'false'],
  ],
};

describe('BigQueryReportSource: jobs.query at the REST level', () => {
  it('sends standard SQL with named, typed parameters, maximumBytesBilled and maxResults, and reads typed cells', async () => {
    answer = () => liftAnswer;
    const source = new BigQueryReportSource('earshot_prod', clientFor(server));
    const rows = await source.run('SELECT * FROM `{{dataset}}.lift_results` WHERE advertiser_id = @tenant AND campaign_id IN UNNEST(@campaigns) LIMIT @rows', { tenant: 'a1', campaigns: [], rows: 4, flag: true }, limits);
    expect(rows).toEqual([
      { study_id: 's1', control_households: 40, p_value: 0.031, exceeds: true },
      { study_id: 's2', control_households: 0, p_value: null, exceeds: false },
    ]);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: `/bigquery/v2/projects/${projectId}/queries` });
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request?.body).toEqual({
      query: 'SELECT * FROM `earshot_prod.lift_results` WHERE advertiser_id = @tenant AND campaign_id IN UNNEST(@campaigns) LIMIT @rows',
      useLegacySql: false,
      parameterMode: 'NAMED',
      queryParameters: [
        { name: 'tenant', parameterType: { type: 'STRING' }, parameterValue: { value: 'a1' } },
        { name: 'campaigns', parameterType: { type: 'ARRAY', arrayType: { type: 'STRING' } }, parameterValue: { arrayValues: [] } },
        { name: 'rows', parameterType: { type: 'INT64' }, parameterValue: { value: '4' } },
        { name: 'flag', parameterType: { type: 'BOOL' }, parameterValue: { value: 'true' } },
      ],
      maximumBytesBilled: String(limits.maxBytesBilled),
      maxResults: 3,
      timeoutMs: 20_000,
      useQueryCache: true,
    });
  });

  const failures: Array<[string, () => void, ReportQueryError['kind']]> = [
    ['bytes billed over the cap', () => { throw new QueryRefusal(400, 'bytesBilledLimitExceeded', 'Query exceeded limit for bytes billed: 10737418240.'); }, 'too_expensive'],
    ['an invalid query', () => { throw new QueryRefusal(400, 'invalidQuery', 'Syntax error: Unexpected keyword SELECT at [1:1]'); }, 'unavailable'],
    ['an outage', () => { throw new QueryRefusal(503, 'backendError', 'Backend error'); }, 'unavailable'],
  ];
  for (const [name, refuse, kind] of failures) {
    it(`turns ${name} into ReportQueryError(${kind}) without the SQL or BigQuery's message`, async () => {
      answer = () => (refuse(), liftAnswer);
      const source = new BigQueryReportSource('earshot', clientFor(server, 1));
      const error = await source.run('SELECT secret_sql', {}, limits).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(ReportQueryError);
      expect((error as ReportQueryError).kind).toBe(kind);
      expect(String((error as Error).message)).not.toMatch(/secret_sql|Syntax|10737418240/);
    });
  }

  it('answers a query BigQuery did not finish in time as unavailable', async () => {
    answer = () => ({ ...liftAnswer, jobComplete: false });
    const error = await new BigQueryReportSource('earshot', clientFor(server)).run('SELECT 1', {}, limits).catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: 'unavailable' });
  });
});

describe('the reports handler on BigQuery', () => {
  const handlerOn = () => createReportsHandler({ config: reportConfig, reports: new BigQueryReportSource('earshot', clientFor(server)), clock: fixedClock, log: quietLog });
  const get = (handler: ReturnType<typeof handlerOn>, query: string, key: string) =>
    handler(httpRequest({ method: 'GET', path: '/v1/delivery', query: new URLSearchParams(query), headers: { authorization: `Bearer ${key}` } }));

  it("scopes an advertiser's delivery with parameters from its key, dates and filters bound, partitions filtered", async () => {
    answer = () => ({ fields: [{ name: 'period', type: 'STRING' }, { name: 'campaign_id', type: 'STRING' }, { name: 'requests', type: 'INTEGER' }], rows: [['2026-11-10', 'c1', '4']] });
    const response = await get(handlerOn(), 'from=2026-11-01&to=2026-11-30&campaign=c2&limit=10', tenants.advertisers.a1);
    expect(response.status).toBe(200);
    const body = server.requests[0]?.body as { query: string; queryParameters: Array<{ name: string; parameterValue: unknown }>; maximumBytesBilled: string; maxResults: number };
    expect(body.query).toContain('FROM `earshot.delivery_daily` AS v');
    expect(body.query).toContain('WHERE day >= CAST(@from_day AS DATE) AND day <= CAST(@to_day AS DATE) AND (campaign_id IN UNNEST(@tenant_campaigns) OR (advertiser_id = @tenant_advertiser AND campaign_id IS NOT NULL AND NOT campaign_id IN UNNEST(@claimed_campaigns))) AND campaign_id = @filter_campaign');
    expect(body.query).toContain('LIMIT @page_rows OFFSET @page_offset');
    expect(body.query).not.toMatch(/2026-11|'c[12]'|a1/);
    expect(Object.fromEntries(body.queryParameters.map((p) => [p.name, p.parameterValue]))).toEqual({
      from_day: { value: '2026-11-01' },
      to_day: { value: '2026-11-30' },
      tenant_campaigns: { arrayValues: [{ value: 'c1' }] },
      tenant_advertiser: { value: 'a1' },
      claimed_campaigns: { arrayValues: [{ value: 'c2' }] },
      filter_campaign: { value: 'c2' },
      page_rows: { value: '11' },
      page_offset: { value: '0' },
    });
    expect(body.maxResults).toBe(11);
    expect(Number(body.maximumBytesBilled)).toBeGreaterThan(0);
  });

  it('reads reach from beacon_events inside the partition window, a platform scoped to its rows', async () => {
    answer = () => ({ fields: [{ name: 'period', type: 'STRING' }], rows: [] });
    await handlerOn()(httpRequest({ method: 'GET', path: '/v1/reach', query: new URLSearchParams('from=2026-11-01&to=2026-11-30'), headers: { authorization: `Bearer ${tenants.platforms.p1}` } }));
    const body = server.requests[0]?.body as { query: string; queryParameters: Array<{ name: string; parameterValue: unknown }> };
    expect(body.query).toContain('t.ts >= TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL');
    expect(body.query).toContain('e.ts >= CAST(@from_ts AS TIMESTAMP) AND e.ts < CAST(@until_ts AS TIMESTAMP) AND e.platform = @tenant_platform');
    expect(body.queryParameters.find((p) => p.name === 'tenant_platform')?.parameterValue).toEqual({ value: 'p1' });
    expect(body.queryParameters.find((p) => p.name === 'until_ts')?.parameterValue).toEqual({ value: '2026-12-01 00:00:00+00' });
  });

  it("cuts a platform's discrepancy to its deliveries and the verdicts on its requests, all bound", async () => {
    answer = () => ({ fields: [{ name: 'day', type: 'STRING' }], rows: [] });
    await handlerOn()(httpRequest({ method: 'GET', path: '/v1/discrepancy', query: new URLSearchParams('from=2026-11-01&to=2026-11-30'), headers: { authorization: `Bearer ${tenants.platforms.p1}` } }));
    const body = server.requests[0]?.body as { query: string; queryParameters: Array<{ name: string; parameterValue: unknown }> };
    expect(body.query).toContain('deltas.platform = @tenant_platform AND deltas.hour >= CAST(@from_ts AS TIMESTAMP)');
    expect(body.query).toContain('events.impression_id IN (SELECT r.event_id FROM (SELECT * EXCEPT (dedupe_rank)');
    expect(body.query).toContain('WHERE r.platform = @tenant_platform AND r.ts >= CAST(@requests_from_ts AS TIMESTAMP)');
    expect(body.query).toContain('CAST(@threshold_pct AS FLOAT64)');
    expect(body.query).not.toMatch(/\{\{|p1|2026-1/);
    const params = Object.fromEntries(body.queryParameters.map((p) => [p.name, p.parameterValue]));
    expect(params).toMatchObject({ tenant_platform: { value: 'p1' }, threshold_pct: { value: '5' }, requests_from_ts: { value: '2026-10-31 00:00:00+00' } });
  });

  const errors: Array<[string, () => QueryAnswer, number]> = [
    ['a query over the byte cap: 400', () => { throw new QueryRefusal(400, 'bytesBilledLimitExceeded', 'Query exceeded limit for bytes billed'); }, 400],
    ['a query BigQuery refuses (a bug of ours, not the client): 503', () => { throw new QueryRefusal(400, 'invalidQuery', 'Unrecognized name: secret_column'); }, 503],
  ];
  for (const [name, refuse, status] of errors) {
    it(`answers ${name} as JSON without SQL or BigQuery's text`, async () => {
      answer = refuse;
      const response = await get(handlerOn(), 'from=2026-11-01&to=2026-11-30', tenants.analyst);
      expect(response.status).toBe(status);
      expect(JSON.parse(String(response.body))).toMatchObject({ error: expect.any(String), details: [{ path: expect.any(String), message: expect.any(String) }] });
      expect(String(response.body)).not.toMatch(/SELECT|secret_column|bytes billed|delivery_daily/);
    });
  }
});

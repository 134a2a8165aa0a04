import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BigQueryApi } from '../../shared/adapters/gcp/bigquery-api.ts';
import { BigQueryWarehouse, createBigQueryWarehouse } from '../../shared/adapters/gcp/bigquery-warehouse.ts';
import { GoogleApi } from '../../shared/adapters/gcp/google-api.ts';
import type { KeyedRow } from '../../shared/contracts/ports.ts';
import { computeBigQuerySchema } from '../../shared/contracts/schemas/bigquery-schema.ts';
import { Tables, type BeaconEventRow } from '../../shared/contracts/schemas/rows.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';
import { checkRow, FakeBigQueryServer } from '../support/fake-bigquery-server.ts';

const projectId = 'earshot-test';
const datasetId = 'earshot';
const accessToken = 'fake-access-token';
const insertAllPath = `/bigquery/v2/projects/${projectId}/datasets/${datasetId}/tables/beacon_events/insertAll`;
const beaconFields = computeBigQuerySchema(Tables.beacon_events);
const validBeaconRow = validatorFor(Tables.beacon_events);

/** The REST API on the fake, as on googleapis.com (`/bigquery/v2`), with a fixed token. */
function apiFor(server: FakeBigQueryServer): BigQueryApi {
  return { api: new GoogleApi({ baseUrl: `${server.url}/bigquery/v2`, token: async () => accessToken }), project: async () => projectId };
}

/** A `beacon_events` row as `toBeaconEventRow` builds it: keyed by platform and event id. */
function beaconRow(n: number, extra: Partial<BeaconEventRow> = {}): BeaconEventRow {
  const event_id = `evt-${String(n).padStart(4, '0')}`;
  return {
    insert_id: `p1/${event_id}`,
    event_id,
    platform: 'p1',
    type: 'download',
    ts: '2026-11-20T10:00:00Z',
    received_at: '2026-11-20T10:00:01.250Z',
    show_id: 'show-1',
    episode_id: 'ep-1',
    household_key: '9f2c'.repeat(16),
    user_agent: 'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)',
    country: 'DE',
    method: 'GET',
    status: 206,
    range: 'bytes=0-',
    bytes_sent: 1_048_576,
    file_size: 24_117_248,
    duration_s: 1507.3,
    id3_size: 4_096,
    bitrate_kbps: 128,
    counted: true,
    reason: 'counted',
    ads_delivered: [],
    ghost_ads_delivered: [],
    ua_type: 'app',
    ua_name: 'Overcast',
    bot: false,
    ...extra,
  };
}

const ads: NonNullable<BeaconEventRow['ads']> = [
  { ad_id: 'ad-1', campaign_id: 'camp-1', creative_id: 'cr-1', advertiser_id: 'adv-1', byte_start: 4_096, byte_end: 484_095, position: 'pre' },
  { ad_id: 'ad-2', campaign_id: 'camp-2', creative_id: 'cr-2', byte_start: 12_000_000, byte_end: 12_479_999, position: 'mid', ghost: true },
];

const rows: BeaconEventRow[] = [
  beaconRow(1, { ads, ads_delivered: ['ad-1'], ghost_ads_delivered: ['ad-2'] }),
  beaconRow(2, { type: 'impression', counted: false, reason: 'client_event' }),
  beaconRow(3, { type: 'playback', playback_event: 'firstQuartile', playback_ad_id: 'ad-1', playback_campaign_id: 'camp-1', counted: false, reason: 'client_event', device: 'iPhone' }),
];

/** What the warehouse function hands the adapter: the row keyed by its `insert_id` column. */
const keyed = (list: readonly BeaconEventRow[]): KeyedRow[] =>
  list.map((row) => ({ insertId: row.insert_id, json: JSON.parse(JSON.stringify(row)) as Record<string, unknown> }));

const rowsOf = (request: { body: unknown }): Array<{ insertId: string; json: Record<string, unknown> }> =>
  (request.body as { rows: Array<{ insertId: string; json: Record<string, unknown> }> }).rows;

describe('BigQueryWarehouse against a tabledata.insertAll server', () => {
  let server: FakeBigQueryServer;
  let warehouse: BigQueryWarehouse;

  beforeAll(async () => {
    server = await FakeBigQueryServer.start({
      projectId,
      datasetId,
      accessToken,
      tables: { beacon_events: beaconFields, dead_letters: computeBigQuerySchema(Tables.dead_letters) },
    });
    warehouse = new BigQueryWarehouse(datasetId, apiFor(server));
  });
  afterEach(() => server.reset());
  afterAll(async () => server?.close());

  it('uses fixtures that are valid beacon_events rows for both our schema and BigQuery', () => {
    for (const row of rows) {
      expect(validBeaconRow(row)).toEqual({ ok: true, value: row });
      expect(checkRow(beaconFields, JSON.parse(JSON.stringify(row)))).toEqual([]);
    }
    // The fake is not a pushover: it refuses what BigQuery refuses.
    expect(checkRow(beaconFields, { ...rows[0], status: '206 Partial', extra: 1, ads: [{ ad_id: 'x' }] })).toEqual([
      expect.objectContaining({ reason: 'invalid', location: 'extra', message: 'no such field.' }),
      expect.objectContaining({ location: 'status', message: expect.stringContaining('integer') }),
      expect.objectContaining({ location: 'ads[0].campaign_id', message: 'Missing required field: ads[0].campaign_id.' }),
      expect.objectContaining({ location: 'ads[0].creative_id' }),
      expect.objectContaining({ location: 'ads[0].byte_start' }),
      expect.objectContaining({ location: 'ads[0].byte_end' }),
    ]);
  });

  it('posts raw {insertId, json} rows with our deterministic insertIds, authenticated, and stores them', async () => {
    const sent = keyed(rows);

    await expect(warehouse.insert('beacon_events', sent)).resolves.toEqual([]);

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: insertAllPath, status: 200 });
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    // Exactly our rows: no made-up insertIds, no wrapping, no options that would skip invalid rows.
    expect(request?.body).toEqual({ rows: sent });
    expect(server.insertIdsSent('beacon_events')).toEqual(['p1/evt-0001', 'p1/evt-0002', 'p1/evt-0003']);
    expect(server.rows('beacon_events')).toEqual(sent);
    expect(server.rows('beacon_events')[0]?.json.ads).toEqual(ads);
  });

  it('stores one copy of each row when a batch is inserted again or overlaps an earlier one', async () => {
    const sent = keyed(rows);

    await expect(warehouse.insert('beacon_events', sent)).resolves.toEqual([]);
    await expect(warehouse.insert('beacon_events', sent)).resolves.toEqual([]);
    const more = keyed([rows[2] as BeaconEventRow, beaconRow(4)]);
    await expect(warehouse.insert('beacon_events', more)).resolves.toEqual([]);

    expect(server.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(server.insertIdsSent('beacon_events')).toEqual([
      ...sent.map((r) => r.insertId),
      ...sent.map((r) => r.insertId),
      'p1/evt-0003',
      'p1/evt-0004',
    ]);
    expect(server.rows('beacon_events').map((r) => r.insertId)).toEqual(['p1/evt-0001', 'p1/evt-0002', 'p1/evt-0003', 'p1/evt-0004']);
  });

  it('returns exactly the rows BigQuery refused, naming the field, and re-sends the rows it only stopped', async () => {
    // Valid for our schema (any integer), but beyond INT64: only BigQuery can refuse it.
    const tooBig = beaconRow(2, { file_size: 1e19 });
    expect(validBeaconRow(tooBig).ok).toBe(true);
    const badAd = { ...beaconRow(4), ads: [{ ...ads[0], ghost: 'maybe' }] } as unknown as BeaconEventRow;
    const batch = keyed([rows[0] as BeaconEventRow, tooBig, beaconRow(3), badAd, beaconRow(5)]);

    const refused = await warehouse.insert('beacon_events', batch);

    expect(refused).toEqual([
      { insertId: 'p1/evt-0002', reason: expect.stringContaining('file_size') },
      { insertId: 'p1/evt-0004', reason: expect.stringContaining('ads[0].ghost') },
    ]);
    expect(refused[0]?.reason).toMatch(/^invalid\b.*integer/);
    expect(refused[1]?.reason).toMatch(/^invalid\b.*boolean/);

    // First request: the bad rows are invalid, the others stopped, and nothing was stored.
    const [first, second, ...others] = server.requests;
    expect(others).toEqual([]);
    expect(first?.response).toEqual({
      kind: 'bigquery#tableDataInsertAllResponse',
      insertErrors: [
        { index: 0, errors: [{ reason: 'stopped', location: '', debugInfo: '', message: '' }] },
        { index: 1, errors: [expect.objectContaining({ reason: 'invalid', location: 'file_size' })] },
        { index: 2, errors: [{ reason: 'stopped', location: '', debugInfo: '', message: '' }] },
        { index: 3, errors: [expect.objectContaining({ reason: 'invalid', location: 'ads[0].ghost' })] },
        { index: 4, errors: [{ reason: 'stopped', location: '', debugInfo: '', message: '' }] },
      ],
    });
    // Second request: only the stopped rows, unchanged, with the same insertIds.
    expect(second?.status).toBe(200);
    expect(rowsOf(second ?? { body: {} })).toEqual([batch[0], batch[2], batch[4]]);
    expect(second?.response).toEqual({ kind: 'bigquery#tableDataInsertAllResponse' });
    expect(server.rows('beacon_events')).toEqual([batch[0], batch[2], batch[4]]);
  });

  it('rides out transient 503s (the same request retried) and stores the rows once', async () => {
    const sent = keyed(rows);
    server.failNext(2, 503);

    await expect(warehouse.insert('beacon_events', sent)).resolves.toEqual([]);

    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    for (const request of server.requests) expect(request.body).toEqual({ rows: sent });
    expect(server.rows('beacon_events')).toEqual(sent);
  });

  it('retries a 503 on the re-send of the stopped rows too', async () => {
    const batch = keyed([beaconRow(1), beaconRow(2, { status: 1e19 }), beaconRow(3)]);
    server.failNext(1, 503, 1); // the first request goes through, the re-send fails once

    await expect(warehouse.insert('beacon_events', batch)).resolves.toEqual([
      { insertId: 'p1/evt-0002', reason: expect.stringContaining('status') },
    ]);

    expect(server.requests.map((r) => [r.status, rowsOf(r).map((row) => row.insertId)])).toEqual([
      [200, ['p1/evt-0001', 'p1/evt-0002', 'p1/evt-0003']],
      [503, ['p1/evt-0001', 'p1/evt-0003']],
      [200, ['p1/evt-0001', 'p1/evt-0003']],
    ]);
    expect(server.rows('beacon_events').map((r) => r.insertId)).toEqual(['p1/evt-0001', 'p1/evt-0003']);
  });

  it('throws on a persistent failure, storing nothing, so the message is redelivered; the redelivery stores once', async () => {
    const sent = keyed(rows);
    server.failNext(100, 503);

    await expect(warehouse.insert('beacon_events', sent)).rejects.toMatchObject({ status: 503 });

    // One attempt and three retries, all of the same rows.
    expect(server.requests.map((r) => r.status)).toEqual([503, 503, 503, 503]);
    expect(server.insertIdsSent('beacon_events')).toEqual(Array.from({ length: 4 }, () => sent.map((r) => r.insertId)).flat());
    expect(server.rows('beacon_events')).toEqual([]);

    server.reset();
    await expect(warehouse.insert('beacon_events', sent)).resolves.toEqual([]);
    expect(server.rows('beacon_events')).toEqual(sent);
  });

  it('throws, without retrying or creating anything, when the table does not exist', async () => {
    const elsewhere = new BigQueryWarehouse('no_such_dataset', apiFor(server));

    await expect(elsewhere.insert('beacon_events', keyed(rows))).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });

    expect(server.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', `/bigquery/v2/projects/${projectId}/datasets/no_such_dataset/tables/beacon_events/insertAll`, 404],
    ]);
  });

  it('reaches a stand-in through BIGQUERY_EMULATOR_HOST, used verbatim as the base URL and sent no token', async () => {
    const open = await FakeBigQueryServer.start({ projectId, datasetId, tables: { beacon_events: beaconFields } });
    const saved = process.env.BIGQUERY_EMULATOR_HOST;
    process.env.BIGQUERY_EMULATOR_HOST = open.url;
    try {
      await expect(createBigQueryWarehouse(projectId, datasetId).insert('beacon_events', keyed(rows))).resolves.toEqual([]);
      // No `/bigquery/v2` prefix on this route, and no credentials looked up.
      expect(open.requests.map((r) => [r.path, r.headers.authorization])).toEqual([[`/projects/${projectId}/datasets/${datasetId}/tables/beacon_events/insertAll`, undefined]]);
      expect(open.rows('beacon_events')).toHaveLength(rows.length);
    } finally {
      if (saved === undefined) delete process.env.BIGQUERY_EMULATOR_HOST;
      else process.env.BIGQUERY_EMULATOR_HOST = saved;
      await open.close();
    }
  });

  it('throws on a refusal of the whole request (a row without our insertId), without retrying it', async () => {
    const unkeyed = keyed(rows.slice(0, 1)).map((row) => ({ ...row, insertId: '' }));

    await expect(warehouse.insert('beacon_events', unkeyed)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('insertId') });

    expect(server.requests.map((r) => r.status)).toEqual([400]);
    expect(server.rows('beacon_events')).toEqual([]);
  });
});

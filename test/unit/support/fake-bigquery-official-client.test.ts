import { BigQuery } from '@google-cloud/bigquery';
// A dependency of the BigQuery client: a fixed token, so no Application Default Credentials lookup.
import { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeBigQuerySchema } from '../../../shared/contracts/schemas/bigquery-schema.ts';
import { Tables } from '../../../shared/contracts/schemas/rows.ts';
import { FakeBigQueryServer } from '../../support/fake-bigquery-server.ts';

// The functions call BigQuery's REST API themselves; the official client, talking to the fake,
// shows that the fake answers in the wire format a real client expects of BigQuery.
const projectId = 'earshot-test';
const accessToken = 'fake-access-token';
const deadLetter = { insert_id: 'count/m1', failed_at: '2026-11-20T10:00:00Z', source: 'count', message_id: 'm1', reason: 'not JSON', payload: '{}' };

let server: FakeBigQueryServer;

function officialClient(): BigQuery {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: accessToken, token_type: 'Bearer', expiry_date: Date.now() + 3_600_000 });
  return new BigQuery({ projectId, apiEndpoint: server.url, authClient: auth, retryOptions: { autoRetry: false } });
}

beforeAll(async () => {
  server = await FakeBigQueryServer.start({
    projectId,
    datasetId: 'earshot',
    accessToken,
    tables: { dead_letters: computeBigQuerySchema(Tables.dead_letters) },
    answerQuery: () => ({ fields: [{ name: 'n', type: 'INTEGER' }], rows: [['7']] }),
  });
});
afterEach(() => server.reset());
afterAll(async () => server.close());

describe('the BigQuery stand-in, spoken to by the official client', () => {
  it('takes raw insertAll rows on the route and in the shape the client sends', async () => {
    await officialClient().dataset('earshot').table('dead_letters').insert([{ insertId: 'k1', json: deadLetter }], { raw: true, partialRetries: 0 });
    expect(server.requests.map((r) => [r.path, r.status])).toEqual([[`/bigquery/v2/projects/${projectId}/datasets/earshot/tables/dead_letters/insertAll`, 200]]);
    expect(server.rows('dead_letters')).toEqual([{ insertId: 'k1', json: deadLetter }]);
  });

  it('answers a bad row with insertErrors the client reads as a PartialFailureError naming the field', async () => {
    const error = await officialClient()
      .dataset('earshot')
      .table('dead_letters')
      .insert([{ insertId: 'k2', json: { ...deadLetter, extra: 1 } }], { raw: true, partialRetries: 0 })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ name: 'PartialFailureError', errors: [{ errors: [{ reason: 'invalid', message: 'no such field.' }] }] });
    expect(server.rows('dead_letters')).toEqual([]);
  });

  it('answers jobs.query with a queryResponse the client accepts', async () => {
    const answer = await new Promise<unknown>((resolve, reject) =>
      officialClient().request({ method: 'POST', uri: '/queries', json: { query: 'SELECT 7 AS n', useLegacySql: false } }, (err, body) => (err ? reject(err) : resolve(body))),
    );
    expect(answer).toMatchObject({ kind: 'bigquery#queryResponse', jobComplete: true, schema: { fields: [{ name: 'n', type: 'INTEGER' }] }, rows: [{ f: [{ v: '7' }] }] });
  });

  it('refuses a missing table with the error envelope the client turns into its 404', async () => {
    const error = await officialClient().dataset('earshot').table('nope').insert([{ insertId: 'k3', json: {} }], { raw: true, partialRetries: 0 }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 404, errors: [{ reason: 'notFound' }] });
  });
});

import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../../functions/beacon/handler.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import type { BeaconBatch } from '../../../../shared/contracts/schemas/beacon-message.ts';
import { RecordingBus, fixedClock, httpRequest, quietLog, sampleRecord, testConfig } from '../../../support/fixtures.ts';

function setup() {
  const bus = new RecordingBus();
  const handler = createBeaconHandler({ config: testConfig, bus, clock: fixedClock, log: quietLog, state: new MemoryStateStore(Date.now) });
  return { bus, handler };
}

const bodyOf = (r: { body?: string | Buffer }) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe('beacon POST /events', () => {
  it('accepts valid records, reports invalid ones by index and path, and publishes one batch', async () => {
    const { bus, handler } = setup();
    const response = await handler(httpRequest({ json: [sampleRecord, { ...sampleRecord, ts: 'yesterday' }, { ...sampleRecord, event_id: 'e-2' }] }));
    expect(response.status).toBe(202);
    expect(bodyOf(response)).toEqual({
      accepted: 2,
      rejected: [{ index: 1, errors: [{ path: '/ts', rule: 'format', message: 'must match format "date-time"' }] }],
      rejected_count: 1,
      rejected_by_rule: { format: 1 },
    });
    const [batch] = bus.payloads<BeaconBatch>('beacons');
    expect(bus.messages).toHaveLength(1);
    expect(batch?.records.map((r) => r.event_id)).toEqual([expect.stringMatching(/^h_/), 'e-2']);
    expect(batch?.records[0]).toMatchObject({ platform: 'p1', received_at: fixedClock.now().toISOString(), show_id: 'show-1' });
  });

  it('never publishes the raw IP', async () => {
    const { bus, handler } = setup();
    await handler(httpRequest({ json: [sampleRecord, { ...sampleRecord, ip: '2001:db8::7' }] }));
    const published = bus.messages.map((m) => m.data.toString()).join('');
    expect(published).not.toContain('203.0.113.9');
    expect(published).not.toContain('2001:db8');
    expect(published).not.toContain('"ip"');
  });

  it('gives a record without event_id the same id on every upload', async () => {
    const { bus, handler } = setup();
    await handler(httpRequest({ json: [sampleRecord] }));
    await handler(httpRequest({ body: Buffer.from(JSON.stringify(sampleRecord) + '\n') }));
    const ids = bus.payloads<BeaconBatch>('beacons').map((b) => b.records[0]?.event_id);
    expect(ids[0]).toBe(ids[1]);
  });

  it('reads gzip NDJSON', async () => {
    const { bus, handler } = setup();
    const ndjson = [sampleRecord, { ...sampleRecord, event_id: 'x' }].map((r) => JSON.stringify(r)).join('\n');
    const response = await handler(httpRequest({ body: gzipSync(ndjson), headers: { authorization: `Bearer ${testConfig.platforms[0]?.keys[0]}`, 'content-encoding': 'gzip' } }));
    expect(response.status).toBe(202);
    expect(bus.payloads<BeaconBatch>('beacons')[0]?.records).toHaveLength(2);
  });

  const refusals: Record<string, { request: Parameters<typeof httpRequest>[0]; status: number; path: string }> = {
    'a wrong key': { request: { json: [sampleRecord], headers: { authorization: 'Bearer nope' } }, status: 401, path: 'headers/authorization' },
    'no key': { request: { json: [sampleRecord], headers: {} }, status: 401, path: 'headers/authorization' },
    'malformed NDJSON': { request: { body: Buffer.from('{"a":1}\n{"a":') }, status: 400, path: 'body/line/2' },
    'an empty body': { request: { body: Buffer.alloc(0) }, status: 400, path: 'body/line/1' },
    'broken gzip': { request: { body: Buffer.from('not gzip'), headers: { authorization: 'Bearer pk_test_0123456789abcdef', 'content-encoding': 'gzip' } }, status: 400, path: 'body' },
    'an unknown encoding': { request: { body: Buffer.from('x'), headers: { authorization: 'Bearer pk_test_0123456789abcdef', 'content-encoding': 'br' } }, status: 415, path: 'body' },
    'a gzip bomb': {
      request: { body: gzipSync(Buffer.alloc(11 * 1024 * 1024, 32)), headers: { authorization: 'Bearer pk_test_0123456789abcdef', 'content-encoding': 'gzip' } },
      status: 413,
      path: 'body',
    },
    'a body over 10 MiB': { request: { body: Buffer.alloc(10 * 1024 * 1024 + 1, 32) }, status: 413, path: 'body' },
  };
  for (const [name, { request, status, path }] of Object.entries(refusals)) {
    it(`answers ${status} to ${name}, naming ${path}`, async () => {
      const { bus, handler } = setup();
      const response = await handler(httpRequest(request));
      expect(response.status).toBe(status);
      const body = bodyOf(response);
      expect(body).toMatchObject({ error: expect.any(String), details: [expect.objectContaining({ path })] });
      expect(bus.messages).toHaveLength(0);
    });
  }

  it('rejects every record of a JSON object body as not an array', async () => {
    const { handler } = setup();
    const body = bodyOf(await handler(httpRequest({ json: { records: [] } })));
    expect(body).toEqual({
      accepted: 0,
      rejected: [{ index: 0, errors: expect.arrayContaining([expect.objectContaining({ path: '/records' })]) }],
      rejected_count: 1,
      rejected_by_rule: expect.objectContaining({ additionalProperties: 1, required: 1 }),
    });
  });
});

describe('beacon routes', () => {
  const routes: Array<[string, string, number]> = [
    ['GET', '/healthz', 200],
    ['POST', '/healthz', 405],
    ['GET', '/events', 405],
    ['GET', '/nope', 404],
  ];
  for (const [method, path, status] of routes) {
    it(`${method} ${path} -> ${status}`, async () => {
      const { handler } = setup();
      const response = await handler(httpRequest({ method, path }));
      expect(response.status).toBe(status);
      expect(() => JSON.parse(String(response.body))).not.toThrow();
    });
  }
});

import { describe, expect, it } from 'vitest';
import { createConversionHandler } from '../../../../functions/conversion/handler.ts';
import { computeAssignment, tryHouseholdIdentity } from '../../../../shared/domain/assignment/assign-arm.ts';
import { HouseholdKeyer } from '../../../../shared/domain/privacy/household-key.ts';
import type { EarshotConfig } from '../../../../shared/contracts/schemas/config.ts';
import type { ConversionBatch, EnrichedConversion } from '../../../../shared/contracts/schemas/conversion-message.ts';
import { RecordingBus, fixedClock, httpRequest, quietLog, testConfig } from '../../../support/fixtures.ts';

const advertiserKey = 'ak_test_advertiser_0123456789';
const study = { id: 'study-1', advertiser: 'adv', holdout_share: 0.5, salt: 'salt_for_study_one' };
const config: EarshotConfig = {
  ...testConfig,
  advertisers: [
    { id: 'adv', keys: [advertiserKey], lookback_days: 30, model: 'last_touch' },
    { id: 'adv-eur', keys: ['ak_test_other_advertiser_0123'], lookback_days: 7, model: 'linear', currency: 'EUR' },
  ],
  studies: [study, { id: 'study-other', advertiser: 'adv-eur', holdout_share: 0.1, salt: 'salt_for_other_study' }],
};

// fixedClock: 2026-11-20T12:00:00Z.
const record = { event: 'purchase', ts: '2026-11-20T11:00:00Z', ip: '203.0.113.9', user_agent: 'Mozilla/5.0 Safari', order_id: 'order-1', value: 42.5, currency: 'USD' };

function setup() {
  const bus = new RecordingBus();
  const handler = createConversionHandler({ config, bus, clock: fixedClock, log: quietLog });
  const published = () => bus.payloads<ConversionBatch>('conversions').flatMap((b) => b.conversions);
  return { bus, handler, published };
}

const post = (json: unknown, key = advertiserKey) => httpRequest({ json, headers: { authorization: `Bearer ${key}` } });
const pixel = (query: string, path = '/p') =>
  httpRequest({ method: 'GET', path, query: new URLSearchParams(query), headers: { 'user-agent': 'Mozilla/5.0 Safari' }, clientIp: '203.0.113.9', body: Buffer.alloc(0) });
const bodyOf = (r: { body?: string | Buffer }) => JSON.parse(String(r.body)) as { error?: string; details?: Array<{ path: string }>; accepted?: number; rejected?: Array<{ index: number; errors: Array<{ path: string; rule: string }> }> };

describe('conversion POST /events', () => {
  it('accepts a batch, keys the household for every month of the lookback, and assigns the study arms', async () => {
    const { handler, published } = setup();
    const response = await handler(post([record, { ...record, order_id: undefined, event_id: 'ev-9' }]));
    expect(response.status).toBe(202);
    expect(bodyOf(response)).toEqual({ accepted: 2, rejected: [], rejected_count: 0, rejected_by_rule: {} });
    const [first, second] = published() as [EnrichedConversion, EnrichedConversion];
    const keyer = new HouseholdKeyer(config.privacy.master_key);
    expect(first).toMatchObject({ conversion_id: 'o:order-1', advertiser_id: 'adv', source: 'server', received_at: fixedClock.now().toISOString(), value: 42.5 });
    expect(first.household_keys).toEqual(keyer.tryHouseholdKeys('203.0.113.9', ['2026-11', '2026-10']));
    const arm = computeAssignment(study, tryHouseholdIdentity('203.0.113.9') as Buffer);
    expect(first.arms).toEqual([{ study_id: 'study-1', arm: arm.arm, bucket: arm.bucket }]);
    expect(second.conversion_id).toBe('e:ev-9');
  });

  it('never publishes the IP or the User-Agent', async () => {
    const { handler, bus } = setup();
    await handler(post([record, { ...record, ip: '2001:db8::7' }]));
    const text = bus.messages.map((m) => m.data.toString()).join('');
    for (const secret of ['203.0.113.9', '2001:db8', '"ip"', 'Safari']) expect(text).not.toContain(secret);
  });

  it('gives a record with neither order nor event id the same id each time it is sent (dedupe)', async () => {
    const { handler, published } = setup();
    const anonymous = { ...record, order_id: undefined };
    await handler(post([anonymous]));
    await handler(post([anonymous]));
    await handler(post([{ ...anonymous, value: 10 }]));
    const ids = published().map((c) => c.conversion_id);
    expect(ids[0]).toMatch(/^h_/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('reports each refused record by index and field, and publishes the rest', async () => {
    const { handler, published } = setup();
    const response = await handler(
      post([
        record,
        { ...record, event: undefined },
        { ...record, ts: '2026-11-21T12:00:00Z' },
        { ...record, currency: 'EUR' },
        { ...record, advertiser: 'adv-eur' },
        { ...record, value: -1 },
        { ...record, ip: 'nope' },
        { ...record, coupon: 'X' },
      ]),
    );
    expect(response.status).toBe(202);
    const body = bodyOf(response);
    expect(body.accepted).toBe(1);
    expect(body.rejected?.map((r) => [r.index, r.errors[0]?.path])).toEqual([
      [1, '/event'],
      [2, '/ts'],
      [3, '/currency'],
      [4, '/advertiser'],
      [5, '/value'],
      [6, '/ip'],
      [7, '/coupon'],
    ]);
    expect(published()).toHaveLength(1);
  });

  it('takes the currency of the key\'s advertiser', async () => {
    const { handler } = setup();
    const response = await handler(post([{ ...record, currency: 'EUR' }], 'ak_test_other_advertiser_0123'));
    expect(bodyOf(response)).toEqual({ accepted: 1, rejected: [], rejected_count: 0, rejected_by_rule: {} });
  });

  const refusals: Array<[string, ReturnType<typeof httpRequest>, number, string]> = [
    ['a wrong key', post([record], 'ak_wrong_key_0123456789'), 401, 'headers/authorization'],
    ['no key', httpRequest({ json: [record], headers: {} }), 401, 'headers/authorization'],
    ['a platform key', httpRequest({ json: [record] }), 401, 'headers/authorization'],
    ['malformed NDJSON', httpRequest({ body: Buffer.from(JSON.stringify(record) + '\n{"event":'), headers: { authorization: `Bearer ${advertiserKey}` } }), 400, 'body/line/2'],
  ];
  for (const [name, request, status, path] of refusals) {
    it(`answers ${status} for ${name}, naming ${path}`, async () => {
      const { handler, published } = setup();
      const response = await handler(request);
      expect(response.status).toBe(status);
      expect(bodyOf(response).details?.[0]?.path).toBe(path);
      expect(published()).toEqual([]);
    });
  }
});

describe('conversion GET /p pixel', () => {
  it('records a conversion from the query, the client address and the User-Agent (204)', async () => {
    const { handler, published } = setup();
    const response = await handler(pixel('advertiser=adv&event=purchase&value=19.90&currency=USD&order_id=order-1&cb=123'));
    expect(response.status).toBe(204);
    const [conversion] = published();
    expect(conversion).toMatchObject({ conversion_id: 'o:order-1', advertiser_id: 'adv', source: 'pixel', value: 19.9, ts: fixedClock.now().toISOString() });
    // The same order as the server's report: attribution keeps one (test/unit/domain/attribution).
    const server = setup();
    await server.handler(post([record]));
    expect(server.published()[0]?.conversion_id).toBe(conversion?.conversion_id);
  });

  it('answers a 1x1 GIF at /p.gif', async () => {
    const { handler } = setup();
    const response = await handler(pixel('advertiser=adv&event=visit', '/p.gif'));
    expect(response.status).toBe(200);
    expect(response.headers?.['content-type']).toBe('image/gif');
    expect(Buffer.isBuffer(response.body) && response.body.subarray(0, 6).toString()).toBe('GIF89a');
  });

  const refusals: Array<[string, string, string[]]> = [
    ['an unknown advertiser', 'advertiser=nobody&event=visit', ['query/advertiser']],
    ['no advertiser', 'event=visit', ['query/advertiser']],
    ['no event', 'advertiser=adv', ['query/event']],
    ['a value that is not a number', 'advertiser=adv&event=purchase&value=12,50', ['query/value']],
    ['another currency than the advertiser\'s', 'advertiser=adv&event=purchase&value=1&currency=EUR', ['query/currency']],
    ['an unknown parameter', 'advertiser=adv&event=visit&email=a@b.c', ['query/email']],
  ];
  for (const [name, query, paths] of refusals) {
    it(`answers 400 naming the parameter for ${name}`, async () => {
      const { handler, published } = setup();
      const response = await handler(pixel(query));
      expect(response.status).toBe(400);
      expect(bodyOf(response).details?.map((d) => d.path)).toEqual(paths);
      expect(published()).toEqual([]);
    });
  }

  it('answers 400 naming the client address when there is none', async () => {
    const { handler } = setup();
    const response = await handler({ ...pixel('advertiser=adv&event=visit'), clientIp: undefined });
    expect(response.status).toBe(400);
    expect(bodyOf(response).details?.[0]?.path).toBe('request/client_ip');
  });

  it('answers healthz, 405 for the wrong method and 404 elsewhere', async () => {
    const { handler } = setup();
    expect((await handler(pixel('', '/healthz'))).status).toBe(200);
    expect((await handler(httpRequest({ method: 'POST', path: '/p', headers: {} }))).status).toBe(405);
    expect((await handler(httpRequest({ method: 'GET', path: '/events', headers: {} }))).status).toBe(405);
    expect((await handler(pixel('', '/nope'))).status).toBe(404);
  });
});

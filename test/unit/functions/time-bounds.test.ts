import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';
import { describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../functions/beacon/handler.ts';
import { createConversionHandler } from '../../../functions/conversion/handler.ts';
import { checkBeaconRecord } from '../../../shared/domain/intake/check-beacon-record.ts';
import { checkConversionRecord } from '../../../shared/domain/intake/check-conversion-record.ts';
import { computeTimeWindow, tryCheckTime } from '../../../shared/domain/intake/time-bounds.ts';
import { acmeAdapter } from '../../../shared/domain/verification/adapters/acme.ts';
import { canonicalAdapter } from '../../../shared/domain/verification/adapters/canonical.ts';
import { RecordingBus, fixedClock, fixedNow, httpRequest, quietLog, sampleRecord, testConfig } from '../../support/fixtures.ts';

// fixedNow: 2026-11-20T12:00:00Z.
const window = computeTimeWindow(testConfig, fixedNow);

describe('tryCheckTime with the default window (2000-01-01 .. now + 1 day)', () => {
  const cases: Array<[string, boolean]> = [
    ['0001-01-01T00:00:00Z', false],
    ['1999-12-31T23:59:59Z', false],
    ['2000-01-01T00:00:00Z', true],
    ['2000-01-01T01:00:00+02:00', false],
    ['2026-11-20T12:00:00Z', true],
    ['2026-11-21T12:00:00Z', true],
    ['2026-11-21T12:00:01Z', false],
    ['9999-12-31T23:59:59Z', false],
  ];
  for (const [ts, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${ts}`, () => {
      const error = tryCheckTime(ts, '/ts', window);
      if (ok) expect(error).toBeUndefined();
      else expect(error).toEqual({ path: '/ts', rule: 'timeRange', message: expect.stringContaining('2000-01-01T00:00:00.000Z') });
    });
  }

  it('takes its bounds from the config', () => {
    const strict = computeTimeWindow({ intake: { min_ts: '2026-01-01T00:00:00Z', max_future_s: 60 } }, fixedNow);
    expect(tryCheckTime('2025-12-31T23:59:59Z', '/ts', strict)?.rule).toBe('timeRange');
    expect(tryCheckTime('2026-11-20T12:01:01Z', '/ts', strict)?.rule).toBe('timeRange');
    expect(tryCheckTime('2026-11-20T12:01:00Z', '/ts', strict)).toBeUndefined();
  });
});

describe('records out of the time window are rejected, naming the field', () => {
  const outside = ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '2026-11-22T00:00:00Z'];

  for (const ts of outside) {
    it(`beacon record at ${ts}`, () => {
      expect(checkBeaconRecord({ ...sampleRecord, ts }, 'p1', window)).toEqual({ ok: false, errors: [expect.objectContaining({ path: '/ts', rule: 'timeRange' })] });
    });

    it(`conversion at ${ts}`, () => {
      const record = { event: 'purchase', ts, ip: '203.0.113.9', user_agent: 'UA', order_id: 'o' };
      const checked = checkConversionRecord(record, { id: 'adv', currency: 'USD' }, window);
      expect(checked.ok ? [] : checked.errors.map((e) => e.path)).toEqual(['/ts']);
    });

    it(`vendor callback measured at ${ts}`, () => {
      const event = { impression_id: 'i1', campaign_id: 'c1', measured_at: ts, ivt: 'valid' };
      expect(canonicalAdapter.tryMapBody({ events: [event] }, window)).toEqual({ ok: false, errors: [expect.objectContaining({ path: '/events/0/measured_at', rule: 'timeRange' })] });
      expect(canonicalAdapter.tryMapBody(event, window)).toEqual({ ok: false, errors: [expect.objectContaining({ path: '/measured_at', rule: 'timeRange' })] });
    });
  }

  it('an acme callback names its own field', () => {
    const result = { adId: 'i1', campaignRef: 'c1', measuredAtMs: 0, verdict: 'PASS' };
    expect(acmeAdapter.tryMapBody({ results: [result] }, window)).toEqual({ ok: false, errors: [expect.objectContaining({ path: '/results/0/measuredAtMs', rule: 'timeRange' })] });
  });

  it('the beacon batch endpoint rejects year 0001 and 9999 records and accepts the rest', async () => {
    const handler = createBeaconHandler({ config: testConfig, bus: new RecordingBus(), state: new MemoryStateStore(), clock: fixedClock, log: quietLog });
    const records = [sampleRecord, { ...sampleRecord, ts: '0001-01-01T00:00:00Z' }, { ...sampleRecord, ts: '9999-12-31T23:59:59Z' }];
    const reply = JSON.parse(String((await handler(httpRequest({ json: records }))).body)) as Record<string, unknown>;
    expect(reply).toMatchObject({ accepted: 1, rejected_count: 2, rejected_by_rule: { timeRange: 2 } });
  });

  it('the beacon pixel refuses a ts from another era with 400 naming query/ts', async () => {
    const handler = createBeaconHandler({ config: testConfig, bus: new RecordingBus(), state: new MemoryStateStore(), clock: fixedClock, log: quietLog });
    const query = new URLSearchParams({ platform: 'p1', show: 's', episode: 'e', ts: '0001-01-01T00:00:00Z' });
    const response = await handler(httpRequest({ method: 'GET', path: '/p', query, headers: { 'user-agent': 'UA' } }));
    expect(response.status).toBe(400);
    expect(JSON.parse(String(response.body))).toMatchObject({ details: [expect.objectContaining({ path: expect.stringMatching(/ts$/) })] });
  });

  it('a conversion an hour ahead is still refused as future (the five-minute rule is stricter)', async () => {
    const config = { ...testConfig, advertisers: [{ id: 'adv', keys: ['ak_test_advertiser_0123456789'], lookback_days: 30, model: 'last_touch' as const }] };
    const handler = createConversionHandler({ config, bus: new RecordingBus(), clock: fixedClock, log: quietLog });
    const record = { event: 'purchase', ts: '2026-11-20T13:00:00Z', ip: '203.0.113.9', user_agent: 'UA', order_id: 'o' };
    const response = await handler(httpRequest({ json: [record], headers: { authorization: 'Bearer ak_test_advertiser_0123456789' } }));
    expect(JSON.parse(String(response.body))).toMatchObject({ accepted: 0, rejected_by_rule: { notFuture: 1 } });
  });
});

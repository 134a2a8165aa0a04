import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWarehouse } from '../../cli/local/query-warehouse.ts';
import { createStudyAssigner } from '../../cli/simulate/holdout.ts';
import { simulateTraffic, type SimulatedBeacon } from '../../cli/simulate/traffic.ts';
import type { Topic } from '../../shared/contracts/ports.ts';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack.ts';
import { goodRowInsertId, poisonMessages, toPoisonPayload, type PoisonMessage } from '../support/poison-messages.ts';

/** The function each topic's subscription runs, which records the poison as its dead letter. */
const sourceOf: Record<Topic, string> = { beacons: 'count', conversions: 'attribute', facts: 'warehouse', cdn_logs: 'cdnlogs', log_objects: 'logobjects' };

describe('poison messages on the local stack', () => {
  let harness: InProcessStack;
  let beacons: SimulatedBeacon[];
  const conversions = (beaconsSent: readonly SimulatedBeacon[]) =>
    beaconsSent.slice(0, 5).map((b, i) => ({ advertiser: 'demo-advertiser', event: 'purchase', ts: '2026-11-03T12:00:00Z', ip: b.ip, user_agent: b.user_agent, order_id: `order-poison-${i}` }));

  const post = async (path: string, key: string, records: readonly unknown[]) => {
    const response = await fetch(`${harness.stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      body: records.map((r) => JSON.stringify(r)).join('\n'),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    expect(((await response.json()) as { rejected: unknown[] }).rejected).toEqual([]);
  };

  beforeAll(async () => {
    harness = await startInProcessStack();
    const [day] = simulateTraffic({ listeners: 40, days: 1, seed: 3, start: new Date('2026-11-02T00:00:00Z'), assignStudy: createStudyAssigner(harness.config.studies) });
    beacons = day?.beacons ?? [];
  });
  afterAll(() => harness.stack.stop());

  it('dead-letters each poison message once with its reason, and processes the good messages around it', async () => {
    const { bus } = harness.stack.runtime;
    const platformKey = harness.config.platforms[0]?.keys[0] ?? '';
    const advertiserKey = harness.config.advertisers[0]?.keys[0] ?? '';
    const half = Math.floor(beacons.length / 2);
    const poison = poisonMessages();
    await post('/beacon/events', platformKey, beacons.slice(0, half));

    // Poison first, good traffic while it is on the bus, more poison, more good traffic.
    const early = poison.slice(0, poison.length >> 1);
    const late = poison.slice(poison.length >> 1);
    const publish = (messages: readonly PoisonMessage[]) => Promise.all(messages.map((m) => bus.publish(m.topic, [m.data])));
    await publish(early);
    await post('/beacon/events', platformKey, beacons.slice(half));
    await publish(late);
    await post('/conversion/events', advertiserKey, conversions(beacons));
    await harness.stack.drain();
    await harness.stack.stop();

    const dead = await queryWarehouse(harness.dataDir, 'SELECT source, reason, payload FROM dead_letters ORDER BY source, payload');
    const expected = poison.flatMap((m) => m.rows.map((row) => ({ source: sourceOf[m.topic], reason: expect.stringMatching(row.reason), payload: row.payload ?? toPoisonPayload(m.data) })));
    expect(dead.rows).toEqual(expect.arrayContaining(expected));
    expect(dead.rows).toHaveLength(expected.length);
    // Dead-lettered on the first delivery, never retried: one warning per poison message.
    const warnings = harness.logLines.filter((l) => l.includes('"message":"dead-lettered message"'));
    expect(warnings).toHaveLength(poison.filter((m) => m.wholeMessage).length);

    // Every good record was processed: all beacons, every conversion, and the good row beside the bad one.
    const stored = await queryWarehouse(harness.dataDir, 'SELECT count(*) AS n FROM beacon_events');
    expect(stored.rows).toEqual([{ n: beacons.length + 1 }]);
    const converted = await queryWarehouse(harness.dataDir, "SELECT count(*) AS n FROM conversions WHERE order_id LIKE 'order-poison-%'");
    expect(converted.rows).toEqual([{ n: 5 }]);
    const good = await queryWarehouse(harness.dataDir, `SELECT count(*) AS n FROM beacon_events WHERE insert_id = '${goodRowInsertId}'`);
    expect(good.rows).toEqual([{ n: 1 }]);
  });
});

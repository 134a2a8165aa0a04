import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWarehouse } from '../../cli/local/query-warehouse.ts';
import { simulateTraffic, type SimulatedBeacon } from '../../cli/simulate/traffic.ts';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack.ts';

/**
 * The durable store failing under `earshot start` (a full disk, an I/O error; injected here, as a
 * commit that reports failure): intake answers 503 with Retry-After and never 202, the rest keeps
 * serving, and once the store writes again every record ever answered 202 is stored exactly once.
 */
describe('the local store failing (disk full)', () => {
  let harness: InProcessStack;
  let failing = false;
  let beacons: SimulatedBeacon[];
  const batches: SimulatedBeacon[][] = [];

  beforeAll(async () => {
    harness = await startInProcessStack({ storeFaults: { failing: () => failing } });
    const [day] = simulateTraffic({ listeners: 80, days: 1, seed: 5, start: new Date('2026-11-02T00:00:00Z'), assignStudy: () => undefined });
    beacons = day?.beacons ?? [];
    for (let i = 0; i < beacons.length; i += 25) batches.push(beacons.slice(i, i + 25));
  });
  afterAll(() => harness.stack.stop());

  const post = (batch: readonly SimulatedBeacon[]) =>
    fetch(`${harness.stack.url}/beacon/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.config.platforms[0]?.keys[0]}`, 'content-type': 'application/x-ndjson' },
      body: batch.map((r) => JSON.stringify(r)).join('\n'),
    });

  it('answers 503 with Retry-After while the store fails, serves what needs no write, and loses nothing', async () => {
    const acked = new Set<number>();
    const statuses: number[] = [];
    for (const [i, batch] of batches.entries()) {
      // The disk fills a third of the way in and is freed two thirds of the way in.
      if (i === Math.floor(batches.length / 3)) failing = true;
      if (i === Math.floor((2 * batches.length) / 3)) {
        const health = await fetch(`${harness.stack.url}/beacon/healthz`);
        expect(health.status).toBe(200);
        failing = false;
        await new Promise((r) => setTimeout(r, 1100));
      }
      const response = await post(batch);
      statuses.push(response.status);
      if (response.status === 202) acked.add(i);
      else {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(await response.json()).toMatchObject({ error: 'temporarily unavailable', details: [{ path: '/', message: expect.stringContaining('disk') }] });
      }
    }
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    // A client that retries what got 503 gets it all in.
    for (const [i, batch] of batches.entries()) if (!acked.has(i)) expect((await post(batch)).status).toBe(202);
    await harness.stack.drain();
    await harness.stack.stop();
    const stored = await queryWarehouse(harness.dataDir, 'SELECT count(*) AS n, count(DISTINCT event_id) AS events FROM beacon_events');
    expect(stored.rows).toEqual([{ n: beacons.length, events: beacons.length }]);
    expect(harness.logLines.some((l) => l.includes('local store unavailable'))).toBe(true);
  });
});

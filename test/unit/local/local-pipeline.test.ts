import { afterEach, describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../functions/beacon/handler.ts';
import { createCountHandler } from '../../../functions/count/handler.ts';
import { createWarehouseHandler } from '../../../functions/warehouse/handler.ts';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { InProcessBus } from '../../../shared/adapters/local/in-process-bus.ts';
import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';
import { toDeadLetterRow } from '../../../shared/platform/messaging/dead-letter.ts';
import type { Runtime } from '../../../shared/composition/runtime-types.ts';
import { loadDefaultClassifier } from '../../../shared/adapters/data/load-pattern-lists.ts';
import { fixedClock, httpRequest, quietLog, sampleRecord, testConfig, unusedReports } from '../../support/fixtures.ts';

async function pipeline() {
  const warehouse = await DuckDbWarehouse.open(':memory:');
  const bus = new InProcessBus({
    maxAttempts: 2,
    backoffMs: () => 1,
    onUndeliverable: async (m) => {
      const row = toDeadLetterRow(m.subscription, m.messageId, m.reason, m.data.toString(), fixedClock.now());
      await warehouse.insert('dead_letters', [{ insertId: row.insert_id, json: row }]);
    },
  });
  const runtime: Runtime = { config: testConfig, bus, state: new MemoryStateStore(() => fixedClock.now().getTime()), warehouse, reports: unusedReports, clock: fixedClock, log: quietLog, classifier: loadDefaultClassifier() };
  bus.subscribe('beacons', 'count', createCountHandler(runtime));
  bus.subscribe('facts', 'warehouse', createWarehouseHandler(runtime));
  return { warehouse, bus, beacon: createBeaconHandler(runtime) };
}

describe('beacon -> count -> warehouse on the local adapters', () => {
  let warehouse: DuckDbWarehouse | undefined;
  afterEach(async () => warehouse?.close());

  it('leaves exactly one row per record however often it is posted', async () => {
    const p = await pipeline();
    warehouse = p.warehouse;
    const records = [sampleRecord, { ...sampleRecord, event_id: 'e-1' }, { ...sampleRecord, episode_id: 'ep-2' }];
    for (let i = 0; i < 3; i++) expect((await p.beacon(httpRequest({ json: records }))).status).toBe(202);
    await p.bus.drain();
    const { rows } = await p.warehouse.query('SELECT episode_id, count(*) AS n FROM beacon_events GROUP BY 1 ORDER BY 1');
    expect(rows).toEqual([
      { episode_id: 'ep-1', n: 2 },
      { episode_id: 'ep-2', n: 1 },
    ]);
    // ep-1's two records are one listener's two requests for the same file: one download.
    const daily = await p.warehouse.query('SELECT episode_id, SUM(requests) AS requests, SUM(downloads) AS downloads FROM delivery_daily GROUP BY 1 ORDER BY 1');
    expect(daily.rows).toEqual([
      { episode_id: 'ep-1', requests: 2, downloads: 1 },
      { episode_id: 'ep-2', requests: 1, downloads: 1 },
    ]);
  });

  it('dead-letters a poison message with its reason and still processes the rest', async () => {
    const p = await pipeline();
    warehouse = p.warehouse;
    await p.bus.publish('beacons', [Buffer.from('{"records":[{"nope":1}]}'), Buffer.from('not json')]);
    await p.beacon(httpRequest({ json: [sampleRecord] }));
    await p.bus.drain();
    const dead = await p.warehouse.query('SELECT source, reason FROM dead_letters ORDER BY reason');
    expect(dead.rows).toEqual([
      { source: 'count', reason: expect.stringContaining('message does not match its schema: /records/0/') },
      { source: 'count', reason: expect.stringContaining('message is not JSON') },
    ]);
    expect((await p.warehouse.query('SELECT count(*) AS n FROM beacon_events')).rows).toEqual([{ n: 1 }]);
  });

  it('dead-letters a single invalid fact row and writes the valid ones of the same message', async () => {
    const p = await pipeline();
    warehouse = p.warehouse;
    const good = { insert_id: 'x/1', failed_at: '2026-11-20T00:00:00Z', source: 's', message_id: '1', reason: 'r', payload: '{}' };
    await p.bus.publish('facts', [Buffer.from(JSON.stringify({ table: 'dead_letters', rows: [good, { insert_id: 'x/2', source: 's' }] }))]);
    await p.bus.drain();
    const { rows } = await p.warehouse.query('SELECT insert_id, source, reason FROM dead_letters ORDER BY insert_id');
    expect(rows).toEqual([
      { insert_id: 'warehouse/1/x/2', source: 'warehouse', reason: expect.stringContaining('dead_letters row invalid: /failed_at is required') },
      { insert_id: 'x/1', source: 's', reason: 'r' },
    ]);
  });
});

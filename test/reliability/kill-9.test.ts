import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryReadRunningServer } from '../../cli/local/server-file.ts';
import { simulateTraffic, type SimulatedBeacon } from '../../cli/simulate/traffic.ts';
import { startEarshot, type RunningEarshot } from '../support/earshot-process.ts';
import { fixedConfig, writeFixedConfig } from '../support/fixed-config.ts';

// `npm test` runs three trials of a small simulation; `npm run test:reliability` more and larger.
const listeners = Number(process.env.EARSHOT_KILL_LISTENERS ?? 500);
const trials = Number(process.env.EARSHOT_KILL_TRIALS ?? 3);
const seed = Number(process.env.EARSHOT_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const batchSize = 200;
const concurrency = 4;

const key = fixedConfig.platforms[0]?.keys[0] ?? '';
const advertiserKey = fixedConfig.advertisers[0]?.keys[0] ?? '';
const traffic = [...simulateTraffic({ listeners, days: 1, seed: 11, start: new Date('2026-11-02T00:00:00Z'), assignStudy: () => undefined })];
const batches: SimulatedBeacon[][] = (() => {
  const records = traffic.flatMap((d) => d.beacons);
  return Array.from({ length: Math.ceil(records.length / batchSize) }, (_, i) => records.slice(i * batchSize, (i + 1) * batchSize));
})();
// Sent after the beacons are processed, so they find the exposures that survived the crash (a
// re-sent beacon that was already counted is a duplicate and records no exposure again).
const conversions = traffic.flatMap((d) => d.conversions);

const queries = {
  rows: 'SELECT count(*) AS n, count(DISTINCT event_id) AS events FROM beacon_events',
  // Which of a listener's requests completes the minute follows arrival, as IAB counting does.
  verdicts: `SELECT CASE WHEN reason IN ('already_counted', 'below_minimum') THEN 'not_the_counted_request' ELSE reason END AS reason,
    counted, count(*) AS n FROM beacon_events WHERE reason <> 'duplicate_event' GROUP BY ALL ORDER BY ALL`,
  delivery_daily: 'SELECT * EXCLUDE (listeners_first_seen) FROM delivery_daily ORDER BY ALL',
  // Which episode a listener's first download of a show that day is credited to follows arrival
  // too (a crash reorders the batches); how many listeners a show had that day does not.
  first_seen: `SELECT day, platform, show_id, sum(listeners_first_seen) AS listeners FROM delivery_daily GROUP BY ALL ORDER BY ALL`,
  deltas: 'SELECT sum(downloads) AS downloads, sum(ads_delivered) AS ads, sum(listeners_first_seen) AS first_seen FROM delivery_deltas',
  // An exposure's time is that of the request that completed its ad's delivery, which follows
  // arrival too, so last touch between two ads of one download may credit either; which
  // conversions are attributed, with what credit and revenue, does not follow arrival.
  attributed: `SELECT conversion_id, advertiser_id, event, model, round(sum(credit), 9) AS credit, round(sum(revenue), 6) AS revenue, count(*) AS rows
    FROM attributed_conversions GROUP BY ALL ORDER BY ALL`,
  conversions: 'SELECT count(*) AS n FROM conversions',
};

async function sendConversions(url: string): Promise<void> {
  const response = await fetch(`${url}/conversion/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${advertiserKey}`, 'content-type': 'application/x-ndjson' },
    body: conversions.map((c) => JSON.stringify(c)).join('\n'),
  });
  expect(response.status, await response.text()).toBe(202);
}

/** A tiny deterministic random source, so a failing trial can be replayed from its seed. */
function mulberry32(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Posts the batches `concurrency` at a time; answers the indexes answered 202. Connection errors just leave a batch unacknowledged. */
async function send(url: string, which: number[], onAck: (acked: number) => void = () => {}): Promise<Set<number>> {
  const acked = new Set<number>();
  const queue = [...which];
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      try {
        const response = await fetch(`${url}/beacon/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
          body: (batches[i] ?? []).map((r) => JSON.stringify(r)).join('\n'),
        });
        await response.arrayBuffer();
        if (response.status === 202) {
          acked.add(i);
          onAck(acked.size);
        }
      } catch {
        // The server died under this request: not acknowledged.
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return acked;
}

async function drain(server: RunningEarshot, dataDir: string): Promise<void> {
  const token = tryReadRunningServer(dataDir)?.token;
  const response = await fetch(`${server.url}/_local/drain`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(204);
}

/** A query through the running server, as `earshot query` sends it. */
async function query(server: RunningEarshot, dataDir: string, sql: string): Promise<unknown[]> {
  const token = tryReadRunningServer(dataDir)?.token;
  const response = await fetch(`${server.url}/_local/query`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: sql });
  expect(response.status).toBe(200);
  return ((await response.json()) as { rows: unknown[] }).rows;
}

async function figures(server: RunningEarshot, dataDir: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(queries)) out[name] = await query(server, dataDir, sql);
  return out;
}

function freshFolder(name: string): { dataDir: string; config: string } {
  const dataDir = mkdtempSync(join(tmpdir(), `earshot-kill-${name}-`));
  return { dataDir, config: writeFixedConfig(dataDir) };
}

const all = batches.map((_, i) => i);

describe(`kill -9 of earshot start (seed ${seed}: EARSHOT_KILL_SEED=${seed} replays it)`, () => {
  it('keeps every acknowledged record, and ends with the numbers of an uninterrupted run', async () => {
    const reference = freshFolder('reference');
    const calm = await startEarshot(['--data', reference.dataDir, '--config', reference.config]);
    expect((await send(calm.url, all)).size).toBe(batches.length);
    await drain(calm, reference.dataDir);
    await sendConversions(calm.url);
    await drain(calm, reference.dataDir);
    const expected = await figures(calm, reference.dataDir);
    expect(expected.attributed?.length, 'some conversions are attributed').toBeGreaterThan(0);
    expect(await calm.stop('SIGTERM')).toBe(0);
    expect(expected.rows).toEqual([{ n: batches.flat().length, events: batches.flat().length }]);

    const random = mulberry32(seed);
    for (let trial = 0; trial < trials; trial++) {
      const { dataDir, config } = freshFolder(`trial-${trial}`);
      const victim = await startEarshot(['--data', dataDir, '--config', config]);
      const killAfter = Math.floor(random() * batches.length);
      const delayMs = Math.floor(random() * 40);
      let killed: Promise<unknown> | undefined;
      const kill = () => (killed ??= new Promise((resolve) => setTimeout(() => resolve(victim.stop('SIGKILL')), delayMs)));
      if (killAfter === 0) void kill();
      const acked = await send(victim.url, all, (n) => void (n >= killAfter && kill()));
      await kill();

      // Restarted, before anything is resent: every record answered 202 is there.
      const restarted = await startEarshot(['--data', dataDir, '--config', config]);
      await drain(restarted, dataDir);
      const stored = new Set((await query(restarted, dataDir, 'SELECT event_id FROM beacon_events')).map((r) => (r as { event_id: string }).event_id));
      const lost = [...acked].flatMap((i) => batches[i] ?? []).filter((r) => !stored.has(r.event_id));
      expect({ trial, killAfter, acknowledged: acked.size, lost: lost.length }).toEqual({ trial, killAfter, acknowledged: acked.size, lost: 0 });

      // Resending everything (the client cannot know which unanswered batches made it) changes nothing.
      expect((await send(restarted.url, all)).size).toBe(batches.length);
      await drain(restarted, dataDir);
      await sendConversions(restarted.url);
      await drain(restarted, dataDir);
      expect({ trial, ...(await figures(restarted, dataDir)) }).toEqual({ trial, ...expected });
      expect(await restarted.stop('SIGTERM')).toBe(0);
    }
  });
});

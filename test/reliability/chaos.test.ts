import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEarshot, startEarshot } from '../support/earshot-process.ts';
import { writeFixedConfig } from '../support/fixed-config.ts';

// `npm test` runs a small simulation; `npm run test:reliability` a larger one.
const listeners = Number(process.env.EARSHOT_RELIABILITY_LISTENERS ?? 300);
const days = Number(process.env.EARSHOT_RELIABILITY_DAYS ?? 2);

const queries = {
  delivery_daily: 'SELECT * EXCLUDE (listeners_first_seen) FROM delivery_daily ORDER BY ALL',
  // Which episode holds a listener's first download of a show that day follows arrival too; how
  // many listeners a show had that day does not.
  first_seen: 'SELECT day, platform, show_id, sum(listeners_first_seen) AS listeners FROM delivery_daily GROUP BY ALL ORDER BY ALL',
  // A listener whose requests straddle two messages may have them counted in either order under
  // redelivery: which request completes the minimum (counted) and which is already_counted or
  // below_minimum follows arrival, as IAB counting does; the downloads do not change.
  verdicts: `SELECT CASE WHEN reason IN ('already_counted', 'below_minimum') THEN 'not_the_counted_request' ELSE reason END AS reason,
    counted, count(*) AS n FROM beacon_events GROUP BY ALL ORDER BY ALL`,
  verification_discrepancy: 'SELECT * FROM verification_discrepancy ORDER BY ALL',
  // Which of two ads of one download last touch credits follows arrival (docs/architecture.md,
  // Attribution); which conversions are attributed, with what credit and revenue, does not.
  attributed_conversions: `SELECT conversion_id, advertiser_id, event, model, round(sum(credit), 9) AS credit, round(sum(revenue), 6) AS revenue, count(*) AS rows
    FROM attributed_conversions GROUP BY ALL ORDER BY ALL`,
  dead_letters: 'SELECT count(*) AS n FROM dead_letters',
};

/** Runs the seeded simulation against a fresh local stack and returns the figures to compare. */
async function simulateWithChaos(chaos: number): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), `earshot-chaos-${chaos}-`));
  // The same keys and study salt in both runs, so the same households are held out.
  const config = writeFixedConfig(dataDir);
  const server = await startEarshot(['--data', dataDir, '--config', config, '--chaos', String(chaos)]);
  try {
    const sent = await runEarshot(['simulate', '--url', server.url, '--data', dataDir, '--config', config, '--seed', '7', '--listeners', String(listeners), '--days', String(days), '--quiet']);
    expect(sent.code, sent.stderr).toBe(0);
  } finally {
    expect(await server.stop('SIGTERM')).toBe(0);
  }
  const figures: Record<string, unknown> = {};
  for (const [name, sql] of Object.entries(queries)) {
    // The server has stopped: the file is read directly, with room for the full-size run's rows.
    const result = await runEarshot(['query', sql, '--data', dataDir, '--json', '--max-rows', String(2 ** 40), '--max-bytes', String(2 ** 30)]);
    expect(result.code, result.stderr).toBe(0);
    figures[name] = JSON.parse(result.stdout);
  }
  return figures;
}

/** The rows one result has and the other lacks (a few of each): a readable failure for a large table. */
function differingRows(calm: unknown[], chaotic: unknown[]): { onlyWithoutChaos: string[]; onlyWithChaos: string[] } {
  const count = (rows: unknown[]) => rows.reduce<Map<string, number>>((m, r) => m.set(JSON.stringify(r), (m.get(JSON.stringify(r)) ?? 0) + 1), new Map());
  const a = count(calm);
  const b = count(chaotic);
  const only = (x: Map<string, number>, y: Map<string, number>) => [...x].filter(([row, n]) => (y.get(row) ?? 0) < n).map(([row]) => row).slice(0, 10);
  return { onlyWithoutChaos: only(a, b), onlyWithChaos: only(b, a) };
}

describe('reliability under bus chaos', () => {
  it('gives identical numbers for the same seeded traffic with and without 20% chaos', async () => {
    const calm = await simulateWithChaos(0);
    const chaotic = await simulateWithChaos(0.2);
    for (const name of ['delivery_daily', 'verification_discrepancy', 'attributed_conversions']) expect((calm[name] as unknown[]).length, name).toBeGreaterThan(0);
    expect(calm.dead_letters).toEqual([{ n: 0 }]);
    for (const name of Object.keys(queries)) {
      expect(differingRows(calm[name] as unknown[], chaotic[name] as unknown[]), name).toEqual({ onlyWithoutChaos: [], onlyWithChaos: [] });
    }
  });
});

import { readFileSync } from 'node:fs';
import type { FreshnessTarget } from './freshness-driver.ts';

async function post(url: string, headers: Record<string, string>, body: string, expected: number): Promise<Response> {
  const response = await fetch(url, { method: 'POST', headers, body });
  if (response.status !== expected) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** The tables watched and the column that names a probe's row in each. */
const watched = [
  { table: 'beacon_events', key: 'insert_id' },
  { table: 'attributed_conversions', key: 'conversion_id' },
] as const;

/**
 * `earshot start` as a freshness target. Rows are visible once `/_local/query` with `settle_ms=0`
 * (what is committed now, without waiting for the queue) returns them; each poll reads only the
 * rows past the last `rowid` it saw (one writer commits in order, and rows are never deleted), so
 * a poll stays cheap however large the table grows. A row is stamped when the answer that first
 * held it arrived: a figure includes up to one poll interval and one query.
 */
export function earshotTarget(url: string, dataDir: string, pollMs: number): FreshnessTarget & { queryMs: () => number[] } {
  const config = JSON.parse(readFileSync(`${dataDir}/config.json`, 'utf8')) as { platforms: Array<{ keys: string[] }>; advertisers: Array<{ keys: string[] }> };
  const { token } = JSON.parse(readFileSync(`${dataDir}/server.json`, 'utf8')) as { token: string };
  const beaconAuth = { authorization: `Bearer ${config.platforms[0]?.keys[0]}`, 'content-type': 'application/x-ndjson' };
  const conversionAuth = { authorization: `Bearer ${config.advertisers[0]?.keys[0]}`, 'content-type': 'application/x-ndjson' };
  const queryTimes: number[] = [];
  const lastRowid = watched.map(() => -1);
  return {
    pollMs,
    queryMs: () => queryTimes,
    sendBeacons: async (ndjson) => void (await (await post(`${url}/beacon/events`, beaconAuth, ndjson, 202)).arrayBuffer()),
    sendConversions: async (ndjson) => void (await (await post(`${url}/conversion/events`, conversionAuth, ndjson, 202)).arrayBuffer()),
    takeNewRows: async () => {
      const sql = watched.map((w, i) => `SELECT ${i} AS t, rowid AS r, ${w.key} AS k FROM ${w.table} WHERE rowid > ${lastRowid[i]}`).join(' UNION ALL ');
      const asked = performance.now();
      const response = await post(`${url}/_local/query?settle_ms=0`, { authorization: `Bearer ${token}` }, sql, 200);
      const { rows } = (await response.json()) as { rows: Array<{ t: number; r: number | string; k: string }> };
      const answered = performance.now();
      queryTimes.push(answered - asked);
      for (const row of rows) lastRowid[row.t] = Math.max(lastRowid[row.t] ?? -1, Number(row.r));
      return new Map(rows.map((r) => [r.k, answered]));
    },
  };
}

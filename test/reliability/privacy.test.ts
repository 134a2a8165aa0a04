import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryWarehouse } from '../../cli/local/query-warehouse.ts';
import { createStudyAssigner } from '../../cli/simulate/holdout.ts';
import { simulateTraffic } from '../../cli/simulate/traffic.ts';
import { runEarshot, startEarshot } from '../support/earshot-process.ts';
import { writeFixedConfig } from '../support/fixed-config.ts';
import { loadFixedConfig } from '../support/in-process-stack.ts';
import { RawIpScanner } from '../support/raw-ip-scan.ts';

// `npm test` runs a small simulation; `npm run test:reliability` a larger one.
const listeners = Number(process.env.EARSHOT_RELIABILITY_LISTENERS ?? 200);
const days = Number(process.env.EARSHOT_RELIABILITY_DAYS ?? 2);
const seed = 5;
const start = '2026-11-01';

/** Every client address the seeded simulation sends: beacons' and conversions'. */
function sentAddresses(): Set<string> {
  const config = loadFixedConfig();
  const traffic = simulateTraffic({ listeners, days, seed, start: new Date(`${start}T00:00:00Z`), assignStudy: createStudyAssigner(config.studies) });
  const addresses = new Set<string>();
  for (const day of traffic) for (const record of [...day.beacons, ...day.conversions]) addresses.add(record.ip);
  return addresses;
}

describe('privacy after a full simulation', () => {
  it('leaves no raw IP address (nor its /24 or /64 network) in the warehouse, the state store or the logs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'earshot-privacy-'));
    const config = writeFixedConfig(dataDir);
    const server = await startEarshot(['--data', dataDir, '--config', config]);
    try {
      const sent = await runEarshot(['simulate', '--url', server.url, '--data', dataDir, '--config', config, '--seed', String(seed), '--start', start, '--listeners', String(listeners), '--days', String(days), '--quiet']);
      expect(sent.code, sent.stderr).toBe(0);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    const addresses = sentAddresses();
    const scanner = new RawIpScanner(addresses);
    expect([...addresses].some((a) => a.includes(':')), 'the traffic has IPv6 households').toBe(true);

    // Every column of every table, whatever tables there are.
    const tables = await queryWarehouse(dataDir, "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1");
    const names = tables.rows.map((r) => String(r.table_name));
    expect(names).toEqual(expect.arrayContaining(['beacon_events', 'conversions', 'attributed_conversions', 'verification_events']));
    const warehouseFindings: Record<string, string[]> = {};
    let rows = 0;
    for (const table of names) {
      // The server has stopped: the file is read directly, with room for every row.
      const result = await queryWarehouse(dataDir, `SELECT * FROM "${table}"`, { maxRows: 2 ** 40, maxBytes: 2 ** 30, timeoutMs: 600_000 });
      expect(result.truncated, table).toBeUndefined();
      rows += result.rows.length;
      const found = scanner.find(JSON.stringify(result.rows));
      if (found.length) warehouseFindings[table] = found.slice(0, 10);
    }
    expect(rows, 'the simulation filled the warehouse').toBeGreaterThan(addresses.size);
    expect(warehouseFindings).toEqual({});

    // The durable store (queue and state), the data folder's other files (the DuckDB file's raw bytes too), and the logs.
    const paths = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(join(dataDir, name)).isFile());
    expect(statSync(join(dataDir, 'store', 'data.mdb')).size, 'the state store was written').toBeGreaterThan(100_000);
    const files = Object.fromEntries(paths.map((name) => [name, scanner.find(readFileSync(join(dataDir, name)).toString('latin1')).slice(0, 10)]));
    expect(files).toEqual(Object.fromEntries(Object.keys(files).map((name) => [name, []])));
    const logs = server.stdout() + server.stderr();
    expect(logs).toMatch(/"severity":"INFO"/);
    expect(scanner.find(logs)).toEqual([]);
  });
});

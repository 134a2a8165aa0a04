import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWarehouse } from '../../cli/local/query-warehouse.ts';
import { fixedVendorKeyPair } from '../support/fixed-config.ts';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack.ts';
import { computeSenderCases } from '../support/real-senders.ts';

// The local path: `earshot start`'s stack (node:http, the in-process bus, DuckDB) answering
// callbacks signed by the official Standard Webhooks library and by node:crypto, under both header
// sets, and storing each accepted one once. The fixed config's vendor holds a secret and a public key.
describe('earshot start: vendor callbacks as real senders sign them', () => {
  let harness: InProcessStack;
  beforeAll(async () => {
    harness = await startInProcessStack();
  });
  afterAll(async () => harness.stack.stop());

  const now = new Date();
  const run = `e2e${now.getTime()}`;
  const cases = () => {
    const secret = harness.config.vendors[0]?.secrets.find((s) => s.startsWith('whsec_'));
    if (!secret) throw new Error('the fixed config’s vendor has no whsec_ secret');
    return computeSenderCases({ secret, privateKey: fixedVendorKeyPair.privateKey }, now, run);
  };

  it('answers every case as the README says, and stores each accepted callback once', async () => {
    // Each answer as [case, status, the error path the case names if it is among the answer's].
    const answers: Array<[string, number, string[]]> = [];
    const expected: Array<[string, number, string[]]> = [];
    for (const c of cases()) {
      const response = await fetch(`${harness.stack.url}/verification/demo-vendor`, { method: 'POST', headers: c.headers, body: c.body });
      const paths = response.status === 204 ? [] : ((await response.json()) as { details: Array<{ path: string }> }).details.map((d) => d.path);
      answers.push([c.name, response.status, c.path && paths.includes(c.path) ? [c.path] : paths]);
      expected.push([c.name, c.status, c.path ? [c.path] : []]);
    }
    expect(answers).toEqual(expected);

    await harness.stack.drain();
    const stored = harness.published.filter(({ table }) => table === 'verification_events').map(({ row }) => String(row.impression_id));
    const accepted = [...new Set(cases().flatMap((c) => (c.stores ? [c.stores] : [])))].sort();
    expect(stored.sort()).toEqual(accepted);
    await harness.stack.stop();
    const { rows } = await queryWarehouse(harness.dataDir, `SELECT impression_id, count(*) AS n FROM verification_events WHERE impression_id LIKE '${run}-%' GROUP BY 1 ORDER BY 1`);
    expect(rows).toEqual(accepted.map((impression_id) => ({ impression_id, n: 1 })));
  });
});

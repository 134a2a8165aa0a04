import { queryWarehouse } from '../../cli/local/query-warehouse.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFunctions } from '../../shared/composition/function-catalog.ts';
import { Tables, type TableName } from '../../shared/contracts/schemas/rows.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';
import { describeBatchReplyProblem } from '../support/batch-reply.ts';
import { describeErrorBodyProblem } from '../support/error-body.ts';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack.ts';
import { sendRaw, type RawRequest } from '../support/raw-http.ts';
import { requestsFor, unknownRouteRequests } from './fuzz/http-requests.ts';

// `npm test` runs a modest number of requests per function; `npm run test:reliability` many more.
const runs = Number(process.env.EARSHOT_FUZZ_RUNS ?? 150);
// A failure names the seed; EARSHOT_FUZZ_SEED=<seed> replays the same requests.
const seed = Number(process.env.EARSHOT_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

const describeRequest = (r: RawRequest) =>
  `${r.method} ${r.path.slice(0, 300)} headers=${JSON.stringify(r.headers)} body(${r.body.length})=${JSON.stringify(r.body.subarray(0, 200).toString('latin1'))}`;

describe('fuzzing every HTTP endpoint of the local stack', () => {
  let harness: InProcessStack;
  const statuses = new Map<string, number>();

  /**
   * Sends one request and checks the answer: never 5xx, every refusal a 4xx with the JSON error
   * body, every batch reply within its bounds.
   */
  async function check(request: RawRequest): Promise<void> {
    const response = await sendRaw(harness.stack.port, request);
    const key = `${request.path.split(/[/?]/)[1]} ${response.status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    expect(response.status, describeRequest(request)).toBeGreaterThanOrEqual(200);
    expect(response.status, describeRequest(request)).toBeLessThan(500);
    if (response.status === 202 && request.path.endsWith('/events')) {
      expect(describeBatchReplyProblem(response.body), describeRequest(request)).toBeUndefined();
    }
    if (response.status < 400 || request.method === 'HEAD') return;
    expect(String(response.headers['content-type']), describeRequest(request)).toMatch(/^application\/json/);
    expect(describeErrorBodyProblem(response.body), describeRequest(request)).toBeUndefined();
  }

  beforeAll(async () => {
    harness = await startInProcessStack();
  });

  afterAll(async () => {
    await harness.stack.stop();
  });

  const requests = () => requestsFor(harness.config);
  for (const fn of httpFunctions) {
    it(`${fn}: random and mutated requests never get a 5xx, and every refusal is a 4xx JSON error`, async () => {
      await fc.assert(fc.asyncProperty(requests()[fn], check), { numRuns: runs, seed });
    });
  }

  it('unknown routes and the local routes without their token: a 4xx JSON error', async () => {
    await fc.assert(fc.asyncProperty(unknownRouteRequests, check), { numRuns: runs, seed });
  });

  it('let nothing invalid reach the warehouse, and the stack logged no error', async () => {
    await harness.stack.drain();
    expect(harness.unreadableFacts).toEqual([]);
    // Every row any function published was valid for its table...
    const invalid = harness.published.flatMap(({ table, row }) => {
      const checked = validatorFor(Tables[table])(row);
      return checked.ok ? [] : [{ table, row, errors: checked.errors }];
    });
    expect(invalid, `fuzz seed ${seed}`).toEqual([]);
    // ...the warehouse refused none (a refusal would be a dead letter), and it holds exactly those rows.
    const published = new Map<TableName, Set<string>>();
    for (const { table, row } of harness.published) published.set(table, (published.get(table) ?? new Set()).add(String(row.insert_id)));
    expect(published.get('beacon_events')?.size ?? 0, 'some fuzzed beacons were accepted').toBeGreaterThan(0);
    expect(harness.published.filter(({ table }) => table === 'dead_letters'), `fuzz seed ${seed}`).toEqual([]);
    await harness.stack.stop();
    // A dead letter that no function published is a message the bus gave up on after its retries.
    const deadLetters = await queryWarehouse(harness.dataDir, 'SELECT source, reason, payload FROM dead_letters');
    expect(deadLetters.rows, `fuzz seed ${seed}`).toEqual([]);
    for (const table of Object.keys(Tables) as TableName[]) {
      const { rows } = await queryWarehouse(harness.dataDir, `SELECT count(*) AS n FROM ${table}`);
      expect(rows, table).toEqual([{ n: published.get(table)?.size ?? 0 }]);
    }
    const errors = harness.logLines.filter((line) => (JSON.parse(line) as { severity: string }).severity === 'ERROR');
    expect(errors, `fuzz seed ${seed}`).toEqual([]);
    console.info('fuzz answers by route and status:', Object.fromEntries([...statuses].sort()));
  });
});

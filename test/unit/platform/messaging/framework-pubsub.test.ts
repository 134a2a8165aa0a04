import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Type } from '@sinclair/typebox';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../shared/platform/logging/logger.ts';
import { toFrameworkPubsub } from '../../../../shared/platform/messaging/framework-pubsub.ts';
import { createPubsubHandler } from '../../../../shared/platform/messaging/pubsub-handler.ts';
import type { DeadLetterRow } from '../../../../shared/contracts/schemas/rows.ts';
import { fixedClock } from '../../../support/fixtures.ts';
import { validatorFor } from '../../../../shared/contracts/schemas/validator.ts';

// The Pub/Sub path as deployed: functions-framework's server, our http() adapter, the handler.
const lines: string[] = [];
const deadLetters: DeadLetterRow[] = [];
const processed: number[] = [];
const log = createLogger({ write: (line) => lines.push(line) });
const validateNumber = validatorFor(Type.Object({ n: Type.Number() }));
const handler = createPubsubHandler({
  source: 'count',
  validate: validateNumber,
  clock: fixedClock,
  log,
  deadLetter: async (row) => void deadLetters.push(row),
  process: async ({ n }) => {
    if (n < 0) throw new Error('state store unavailable');
    processed.push(n);
  },
});
http('pubsub-adapter-test', toFrameworkPubsub('count', handler, log));

let server: Server;
let base: string;
beforeAll(async () => {
  server = getTestServer('pubsub-adapter-test');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  lines.length = 0;
  deadLetters.length = 0;
  processed.length = 0;
});

const push = (message: Record<string, unknown>) => ({ message, subscription: 'projects/p/subscriptions/count' });
const data = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

async function post(body: unknown): Promise<number> {
  const response = await fetch(`${base}/projects/p/topics/beacons`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

describe('Pub/Sub push requests under functions-framework', () => {
  it('processes a pushed message and acknowledges it with 204', async () => {
    expect(await post(push({ data: data({ n: 3 }), messageId: 'm-1', message_id: 'm-1', publishTime: '2026-11-20T10:00:00Z' }))).toBe(204);
    expect(processed).toEqual([3]);
  });

  it('dead-letters a message without data under its own message id', async () => {
    const attributesOnly = (id: string) => push({ attributes: { kind: 'ping' }, messageId: id, message_id: id, publishTime: '2026-11-20T10:00:00Z' });
    expect(await post(attributesOnly('m-41'))).toBe(204);
    expect(await post(attributesOnly('m-42'))).toBe(204);
    expect(deadLetters.map((r) => [r.insert_id, r.message_id, r.reason])).toEqual([
      ['count/m-41', 'm-41', 'message has no data'],
      ['count/m-42', 'm-42', 'message has no data'],
    ]);
  });

  it('takes the snake_case id when the camelCase one is missing', async () => {
    expect(await post(push({ message_id: 'm-snake', publish_time: '2026-11-20T10:00:00Z' }))).toBe(204);
    expect(deadLetters[0]?.insert_id).toBe('count/m-snake');
  });

  it('dead-letters a request that is no push under a digest of its bytes, the same for the same bytes', async () => {
    expect(await post({ hello: 'world' })).toBe(204);
    expect(await post({ hello: 'world' })).toBe(204);
    expect(await post({ hello: 'there' })).toBe(204);
    const ids = deadLetters.map((r) => r.message_id);
    expect(ids[0]).toMatch(/^unidentified-[0-9a-f]{32}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(deadLetters[0]?.reason).toMatch(/^not a Pub\/Sub messagePublished event/);
  });

  it('answers 500 to a failure, logged as one Cloud Logging line with severity ERROR and the stack in the message', async () => {
    expect(await post(push({ data: data({ n: -1 }), messageId: 'm-7', publishTime: '2026-11-20T10:00:00Z' }))).toBe(500);
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line).not.toContain('\n');
    const entry = JSON.parse(line) as { severity: string; message: string; message_id: string };
    expect(entry.severity).toBe('ERROR');
    expect(entry.message_id).toBe('m-7');
    expect(entry.message).toMatch(/^count failed on message m-7: Error: state store unavailable\n\s+at /);
    expect(entry.message).toContain('framework-pubsub.test.ts');
  });
});

import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../shared/platform/logging/logger.ts';
import { computeWireMessage, encodingAttribute, tryDecodeWireMessage } from '../../../../shared/platform/messaging/message-encoding.ts';
import { createPubsubHandler } from '../../../../shared/platform/messaging/pubsub-handler.ts';
import { toMessagePublishedEvent } from '../../../../shared/platform/messaging/pubsub-event.ts';
import type { DeadLetterRow } from '../../../../shared/contracts/schemas/rows.ts';
import { fixedClock } from '../../../support/fixtures.ts';
import { validatorFor } from '../../../../shared/contracts/schemas/validator.ts';

const batch = (n: number) => Buffer.from(JSON.stringify({ records: Array.from({ length: n }, (_, i) => ({ event_id: `e${i}`, user_agent: 'Overcast/3.0' })) }));

describe('computeWireMessage', () => {
  const cases: Record<string, { json: Buffer; gzipped: boolean }> = {
    'a small message stays as it is (Pub/Sub bills 1,000 bytes a request anyway)': { json: batch(2), gzipped: false },
    'a batch is gzipped and says so': { json: batch(500), gzipped: true },
    'bytes gzip cannot shrink stay as they are': { json: randomBytes(4096), gzipped: false },
  };
  for (const [name, { json, gzipped }] of Object.entries(cases)) {
    it(name, () => {
      const wire = computeWireMessage(json);
      expect(wire.attributes?.[encodingAttribute]).toBe(gzipped ? 'gzip' : undefined);
      if (gzipped) expect(wire.data.length).toBeLessThan(json.length / 5);
      expect(tryDecodeWireMessage(wire.data, wire.attributes)).toEqual({ ok: true, bytes: json });
    });
  }
});

describe('tryDecodeWireMessage', () => {
  const json = batch(3);
  const cases: Record<string, { data: Buffer; attributes?: Record<string, string>; expected: ReturnType<typeof tryDecodeWireMessage> }> = {
    'no attributes: the JSON itself (older messages, Google-published ones)': { data: json, expected: { ok: true, bytes: json } },
    'other attributes only: the JSON itself': { data: json, attributes: { origin: 'sink' }, expected: { ok: true, bytes: json } },
    identity: { data: json, attributes: { [encodingAttribute]: 'identity' }, expected: { ok: true, bytes: json } },
    gzip: { data: gzipSync(json), attributes: { [encodingAttribute]: 'gzip' }, expected: { ok: true, bytes: json } },
  };
  for (const [name, { data, attributes, expected }] of Object.entries(cases)) it(name, () => expect(tryDecodeWireMessage(data, attributes)).toEqual(expected));

  const refused: Record<string, { data: Buffer; attributes: Record<string, string>; reason: RegExp }> = {
    'an encoding we never write': { data: json, attributes: { [encodingAttribute]: 'br' }, reason: /^unknown content_encoding "br" \(expected gzip\)$/ },
    'gzip that is not gzip': { data: json, attributes: { [encodingAttribute]: 'gzip' }, reason: /^content_encoding gzip but the data is not readable gzip: / },
    'gzip cut short': { data: gzipSync(json).subarray(0, 20), attributes: { [encodingAttribute]: 'gzip' }, reason: /not readable gzip/ },
  };
  for (const [name, { data, attributes, reason }] of Object.entries(refused)) {
    it(`refuses ${name}`, () => {
      const decoded = tryDecodeWireMessage(data, attributes);
      expect(decoded.ok).toBe(false);
      if (!decoded.ok) expect(decoded.reason).toMatch(reason);
    });
  }
});

describe('a Pub/Sub handler reads both encodings', () => {
  const run = async (data: Buffer, attributes?: Record<string, string>) => {
    const seen: unknown[] = [];
    const deadLetters: DeadLetterRow[] = [];
    const validateRecords = validatorFor(Type.Object({ records: Type.Array(Type.Object({ event_id: Type.String(), user_agent: Type.String() })) }));
    const handler = createPubsubHandler({
      source: 'count',
      validate: validateRecords,
      clock: fixedClock,
      log: createLogger({ write: () => {} }),
      deadLetter: async (row) => void deadLetters.push(row),
      process: async (payload) => void seen.push(payload),
    });
    await handler(toMessagePublishedEvent('p', 'beacons', 'count', 'm1', data, fixedClock.now(), attributes));
    return { seen, deadLetters };
  };

  it('processes the same batch plain and gzipped', async () => {
    const json = batch(300);
    const wire = computeWireMessage(json);
    expect((await run(json)).seen).toEqual([JSON.parse(json.toString())]);
    expect((await run(wire.data, wire.attributes)).seen).toEqual([JSON.parse(json.toString())]);
  });

  it('dead-letters unreadable gzip once, keeping the bytes as base64', async () => {
    const { seen, deadLetters } = await run(Buffer.from('not gzip'), { [encodingAttribute]: 'gzip' });
    expect(seen).toEqual([]);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.reason).toMatch(/not readable gzip/);
    expect(deadLetters[0]?.payload).toBe(`base64:${Buffer.from('not gzip').toString('base64')}`);
  });
});

import type { AddressInfo } from 'node:net';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerificationHandler } from '../../../../functions/verification/handler.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import { toFrameworkHttp } from '../../../../shared/platform/http/framework-http.ts';
import type { FactsBatch } from '../../../../shared/contracts/schemas/facts-message.ts';
import { RecordingBus, fixedClock, fixedNow, quietLog, testConfig } from '../../../support/fixtures.ts';
import { computeSenderCases } from '../../../support/real-senders.ts';
import { newVendorKeyPair, newWebhookSecret } from '../../../support/webhooks.ts';

// The cloud path: functions-framework's server (its body parser, rawBody), `toFrameworkHttp` and
// the handler, answering callbacks signed by the official library and by node:crypto over HTTP.
// test/e2e/vendor-callbacks.test.ts sends the same cases to `earshot start`'s stack.
const secret = newWebhookSecret();
const pair = newVendorKeyPair();
const config = { ...testConfig, vendors: [{ id: 'real-vendor', secrets: [secret, pair.publicKey] }] };
const bus = new RecordingBus();
const handler = createVerificationHandler({ config, bus, state: new MemoryStateStore(() => fixedClock.now().getTime()), clock: fixedClock, log: quietLog });
http('verification-real-senders', toFrameworkHttp('verification', handler, quietLog));

describe('verification under functions-framework: callbacks as real senders sign them', () => {
  const server = getTestServer('verification-real-senders');
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const cases = computeSenderCases({ secret, privateKey: pair.privateKey }, fixedNow, 'cloud');
  // In order: a repeat only means something after the first.
  it.each(cases.map((c, i) => [i, c.name, c] as const))('%i: %s', async (_i, _name, c) => {
    const response = await fetch(`${base}/verification/real-vendor`, { method: 'POST', headers: c.headers, body: c.body });
    expect(response.status).toBe(c.status);
    if (c.status === 204) return;
    const body = (await response.json()) as { details: Array<{ path: string }> };
    expect(body.details.map((d) => d.path)).toContain(c.path);
  });

  it('stored every accepted callback once, and nothing of the refused ones', () => {
    const stored = bus.payloads<FactsBatch>('facts').flatMap((b) => b.rows.map((r) => String(r.impression_id)));
    const expected = [...new Set(cases.flatMap((c) => (c.stores ? [c.stores] : [])))];
    expect(stored.sort()).toEqual(expected.sort());
  });
});

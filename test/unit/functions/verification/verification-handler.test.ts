import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createVerificationHandler, maxCallbackBytes, webhookCollection, type StoredWebhook } from '../../../../functions/verification/handler.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import type { HttpRequest } from '../../../../shared/platform/http/types.ts';
import type { EventBus } from '../../../../shared/contracts/ports.ts';
import type { EarshotConfig } from '../../../../shared/contracts/schemas/config.ts';
import type { FactsBatch } from '../../../../shared/contracts/schemas/facts-message.ts';
import { computeWebhookDocId } from '../../../../shared/domain/verification/webhook-doc-id.ts';
import { RecordingBus, fixedClock, fixedNow, quietLog, testConfig } from '../../../support/fixtures.ts';
import { newVendorKeyPair, newWebhookSecret, signedCallback, type SignOptions } from '../../../support/webhooks.ts';

const [oldSecret, newSecret, acmeSecret, unknownSecret, migratingSecret] = [newWebhookSecret(), newWebhookSecret(), newWebhookSecret(), newWebhookSecret(), newWebhookSecret()];
// Vendors signing with ed25519: one with its public key alone, one moving over from a shared secret.
const [signerPair, signerNextPair, migratingPair, strangerPair] = [newVendorKeyPair(), newVendorKeyPair(), newVendorKeyPair(), newVendorKeyPair()];
const config: EarshotConfig = {
  ...testConfig,
  vendors: [
    { id: 'verifier', secrets: [newSecret, oldSecret] },
    { id: 'acme', secrets: [acmeSecret], format: 'acme' },
    { id: 'signer', secrets: [signerNextPair.publicKey, signerPair.publicKey] },
    { id: 'migrating', secrets: [migratingSecret, migratingPair.publicKey] },
  ],
};

const event = { impression_id: 'imp-1', campaign_id: 'camp-1', measured_at: '2026-11-20T10:00:00Z', ivt: 'valid', geo_match: true } as const;
const nowSeconds = Math.floor(fixedNow.getTime() / 1000);

function setup(bus: EventBus = new RecordingBus()) {
  const state = new MemoryStateStore(() => fixedClock.now().getTime());
  const handler = createVerificationHandler({ config, bus, state, clock: fixedClock, log: quietLog });
  return { handler, state };
}

const sign = (body: unknown, options: Partial<SignOptions> & { vendor?: string } = {}) =>
  signedCallback(options.vendor ?? 'verifier', typeof body === 'string' ? body : JSON.stringify(body), { secret: newSecret, ...options });

/** The request with one set's signature headers renamed to the other's. */
const asSvix = (request: HttpRequest): HttpRequest => {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature, ...rest } = request.headers;
  return { ...request, headers: { ...rest, 'svix-id': id, 'svix-timestamp': timestamp, 'svix-signature': signature } };
};

const bodyOf = (r: { body?: string | Buffer }) => JSON.parse(String(r.body)) as { error: string; details: Array<{ path: string; message: string }> };
const factsOf = (bus: RecordingBus) => bus.payloads<FactsBatch>('facts');

describe('verification POST /<vendor>: accepted', () => {
  it('stores one canonical event as a verification_events row and answers 204', async () => {
    const bus = new RecordingBus();
    const { handler } = setup(bus);
    const response = await handler(sign(event, { webhookId: 'msg_1' }));
    expect(response).toEqual({ status: 204 });
    expect(factsOf(bus)).toEqual([
      {
        table: 'verification_events',
        rows: [
          {
            insert_id: 'verifier imp-1',
            vendor: 'verifier',
            webhook_id: 'msg_1',
            campaign_id: 'camp-1',
            impression_id: 'imp-1',
            measured_at: '2026-11-20T10:00:00Z',
            ivt: 'valid',
            reasons: [],
            geo_match: true,
            received_at: fixedNow.toISOString(),
          },
        ],
      },
    ]);
  });

  it('stores every event of {events:[...]}, GIVT and SIVT with their reasons', async () => {
    const bus = new RecordingBus();
    const { handler } = setup(bus);
    const events = [event, { ...event, impression_id: 'imp-2', ivt: 'givt', reasons: ['data_center'] }, { ...event, impression_id: 'imp-3', ivt: 'sivt', reasons: ['hijacked_device', 'app_spoofing'] }];
    expect((await handler(sign({ events }))).status).toBe(204);
    const rows = factsOf(bus).flatMap((b) => b.rows);
    expect(rows.map((r) => [r.insert_id, r.ivt, r.reasons])).toEqual([
      ['verifier imp-1', 'valid', []],
      ['verifier imp-2', 'givt', ['data_center']],
      ['verifier imp-3', 'sivt', ['hijacked_device', 'app_spoofing']],
    ]);
  });

  it('answers a repeated webhook id 204 and publishes it once', async () => {
    const bus = new RecordingBus();
    const { handler, state } = setup(bus);
    const request = sign(event, { webhookId: 'msg_again' });
    expect((await handler(request)).status).toBe(204);
    expect((await handler(request)).status).toBe(204);
    // A retry is re-signed with a new timestamp but keeps its webhook id.
    expect((await handler(sign(event, { webhookId: 'msg_again', timestamp: nowSeconds + 60 }))).status).toBe(204);
    expect(bus.messages).toHaveLength(1);
    const [stored] = await state.getMany<StoredWebhook>(webhookCollection, [computeWebhookDocId('verifier', 'msg_again')]);
    expect(stored).toEqual({ vendor: 'verifier', webhook_id: 'msg_again', received_at: fixedNow.toISOString(), events: 1 });
  });

  it('accepts both secrets during a rotation', async () => {
    const { handler } = setup();
    expect((await handler(sign(event, { secret: oldSecret }))).status).toBe(204);
    expect((await handler(sign(event, { secret: newSecret }))).status).toBe(204);
  });

  const acceptedSigners: Record<string, () => HttpRequest> = {
    'svix-* headers under a secret': () => sign(event, { headerSet: 'svix' }),
    'a v1a signature under the vendor’s public key': () => sign(event, { vendor: 'signer', secret: signerPair.privateKey }),
    'a v1a signature under svix-* headers': () => sign(event, { vendor: 'signer', secret: signerPair.privateKey, headerSet: 'svix' }),
    'a v1a signature under the next public key of a key-pair rotation': () => sign(event, { vendor: 'signer', secret: signerNextPair.privateKey }),
    'a migration: the old shared secret': () => sign(event, { vendor: 'migrating', secret: migratingSecret }),
    'a migration: the new key pair': () => sign(event, { vendor: 'migrating', secret: migratingPair.privateKey, headerSet: 'svix' }),
    'both header sets carrying the same values': () => {
      const r = sign(event);
      return { ...r, headers: { ...r.headers, ...asSvix(r).headers } };
    },
  };
  for (const [name, request] of Object.entries(acceptedSigners)) {
    it(`accepts ${name} (204) and stores it`, async () => {
      const bus = new RecordingBus();
      const { handler } = setup(bus);
      expect(await handler(request())).toEqual({ status: 204 });
      expect(factsOf(bus).flatMap((b) => b.rows)).toHaveLength(1);
    });
  }

  it('stores a webhook id once whichever header set and signature kind carry it', async () => {
    const bus = new RecordingBus();
    const { handler } = setup(bus);
    const tries = [
      sign(event, { vendor: 'migrating', secret: migratingSecret, webhookId: 'msg_both' }),
      sign(event, { vendor: 'migrating', secret: migratingSecret, webhookId: 'msg_both', headerSet: 'svix' }),
      sign(event, { vendor: 'migrating', secret: migratingPair.privateKey, webhookId: 'msg_both', timestamp: nowSeconds + 30 }),
    ];
    for (const request of tries) expect((await handler(request)).status).toBe(204);
    expect(bus.messages).toHaveLength(1);
  });

  it('verifies a gzip body on the bytes the vendor signed, before compression', async () => {
    const bus = new RecordingBus();
    const { handler } = setup(bus);
    const request = sign(event);
    const response = await handler({ ...request, body: gzipSync(request.body), headers: { ...request.headers, 'content-encoding': 'gzip' } });
    expect(response.status).toBe(204);
    expect(bus.messages).toHaveLength(1);
  });

  it('maps a vendor format through its adapter', async () => {
    const bus = new RecordingBus();
    const { handler } = setup(bus);
    const report = { reportId: 'r1', results: [{ adId: 'imp-9', campaignRef: 'camp-1', measuredAtMs: Date.parse('2026-11-20T10:00:00Z'), verdict: 'GENERAL_INVALID', flags: ['DC_TRAFFIC'], geo: 'OUT_OF_GEO' }] };
    expect((await handler(sign(report, { vendor: 'acme', secret: acmeSecret }))).status).toBe(204);
    expect(factsOf(bus)[0]?.rows[0]).toMatchObject({ insert_id: 'acme imp-9', vendor: 'acme', ivt: 'givt', reasons: ['data_center'], geo_match: false, measured_at: '2026-11-20T10:00:00.000Z' });
  });

  it('stores nothing of a callback whose publish failed, so the retry is stored', async () => {
    let failing = true;
    const bus = new RecordingBus();
    const flaky: EventBus = { publish: async (topic, messages) => (failing ? Promise.reject(new Error('Pub/Sub unavailable')) : bus.publish(topic, messages)) };
    const { handler, state } = setup(flaky);
    const request = sign(event, { webhookId: 'msg_flaky' });
    await expect(handler(request)).rejects.toThrow('Pub/Sub unavailable');
    expect(await state.getMany(webhookCollection, [computeWebhookDocId('verifier', 'msg_flaky')])).toEqual([undefined]);
    failing = false;
    expect((await handler(request)).status).toBe(204);
    expect(bus.messages).toHaveLength(1);
  });
});

describe('verification POST /<vendor>: refused', () => {
  const tooManyEvents = { events: Array.from({ length: 1001 }, (_, i) => ({ ...event, impression_id: `imp-${i}` })) };
  const cases: Record<string, { request: () => HttpRequest; status: number; path: string; message?: RegExp }> = {
    'an unknown vendor': { request: () => sign(event, { vendor: 'nobody', secret: unknownSecret }), status: 404, path: 'vendor' },
    'a body over 1 MiB': { request: () => sign(' '.repeat(maxCallbackBytes + 1)), status: 413, path: 'body' },
    'a body over 1 MiB once gunzipped': {
      request: () => {
        const r = sign(' '.repeat(maxCallbackBytes + 1));
        return { ...r, body: gzipSync(r.body), headers: { ...r.headers, 'content-encoding': 'gzip' } };
      },
      status: 413,
      path: 'body',
    },
    'a tampered body': { request: () => ({ ...sign(event), body: Buffer.from(JSON.stringify({ ...event, ivt: 'sivt' })) }), status: 401, path: 'headers/webhook-signature' },
    'a wrong secret': { request: () => sign(event, { secret: unknownSecret }), status: 401, path: 'headers/webhook-signature', message: /no active secret/ },
    'another vendor’s secret': { request: () => sign(event, { secret: acmeSecret }), status: 401, path: 'headers/webhook-signature' },
    'a stale timestamp': { request: () => sign(event, { timestamp: nowSeconds - 301 }), status: 401, path: 'headers/webhook-timestamp', message: /past/ },
    'a future timestamp': { request: () => sign(event, { timestamp: nowSeconds + 301 }), status: 401, path: 'headers/webhook-timestamp', message: /future/ },
    'no signature headers': {
      request: () => {
        const r = sign(event);
        return { ...r, headers: { 'content-type': 'application/json' } };
      },
      status: 401,
      path: 'headers/webhook-id',
    },
    'an empty signature': { request: () => ({ ...sign(event), headers: { ...sign(event).headers, 'webhook-signature': '' } }), status: 401, path: 'headers/webhook-signature' },
    'svix-*: a tampered body': { request: () => ({ ...sign(event, { headerSet: 'svix' }), body: Buffer.from(JSON.stringify({ ...event, ivt: 'sivt' })) }), status: 401, path: 'headers/svix-signature' },
    'svix-*: a wrong secret': { request: () => sign(event, { headerSet: 'svix', secret: unknownSecret }), status: 401, path: 'headers/svix-signature', message: /no active secret/ },
    'svix-*: a stale timestamp': { request: () => sign(event, { headerSet: 'svix', timestamp: nowSeconds - 301 }), status: 401, path: 'headers/svix-timestamp', message: /past/ },
    'svix-*: no svix-id': {
      request: () => {
        const r = sign(event, { headerSet: 'svix' });
        return { ...r, headers: { ...r.headers, 'svix-id': undefined } };
      },
      status: 401,
      path: 'headers/svix-id',
    },
    'both header sets with different ids': {
      request: () => {
        const r = sign(event);
        return { ...r, headers: { ...r.headers, ...asSvix(sign(event)).headers } };
      },
      status: 400,
      path: 'headers/svix-id',
      message: /webhook-id/,
    },
    'a signature header of the other set beside a full set': {
      request: () => {
        const r = sign(event, { headerSet: 'svix' });
        return { ...r, headers: { ...r.headers, 'webhook-signature': String(r.headers['svix-signature']) } };
      },
      status: 400,
      path: 'headers/svix-id',
    },
    'a v1a signature of another key pair': { request: () => sign(event, { vendor: 'signer', secret: strangerPair.privateKey }), status: 401, path: 'headers/webhook-signature', message: /no active secret or public key/ },
    'a v1a signature over a tampered body': {
      request: () => ({ ...sign(event, { vendor: 'signer', secret: signerPair.privateKey }), body: Buffer.from(JSON.stringify({ ...event, ivt: 'sivt' })) }),
      status: 401,
      path: 'headers/webhook-signature',
    },
    'a v1 HMAC to a vendor with public keys only': { request: () => sign(event, { vendor: 'signer', secret: newSecret }), status: 401, path: 'headers/webhook-signature' },
    'a v1a signature to a vendor with secrets only': { request: () => sign(event, { secret: signerPair.privateKey }), status: 401, path: 'headers/webhook-signature' },
    'a v1a signature relabelled v1 to a migrating vendor': {
      request: () => {
        const r = sign(event, { vendor: 'migrating', secret: migratingPair.privateKey, headerSet: 'svix' });
        return { ...r, headers: { ...r.headers, 'svix-signature': String(r.headers['svix-signature']).replace('v1a,', 'v1,') } };
      },
      status: 401,
      path: 'headers/svix-signature',
    },
    'malformed JSON': { request: () => sign('{"impression_id":'), status: 400, path: 'body', message: /not JSON/ },
    'svix-*: malformed JSON': { request: () => sign('{"impression_id":', { headerSet: 'svix' }), status: 400, path: 'body', message: /not JSON/ },
    'a v1a-signed body with a missing field': { request: () => sign({ ...event, campaign_id: undefined }, { vendor: 'signer', secret: signerPair.privateKey }), status: 400, path: 'body/campaign_id' },
    'a body that is not UTF-8': { request: () => signedCallback('verifier', Buffer.from([0x7b, 0xff, 0x7d]), { secret: newSecret }), status: 400, path: 'body', message: /UTF-8/ },
    'a missing field': { request: () => sign({ ...event, campaign_id: undefined }), status: 400, path: 'body/campaign_id', message: /required/ },
    'an unknown IVT category': { request: () => sign({ events: [event, { ...event, impression_id: 'x', ivt: 'bot' }] }), status: 400, path: 'body/events/1/ivt', message: /valid, givt, sivt/ },
    'a bad timestamp': { request: () => sign({ ...event, measured_at: 'yesterday' }), status: 400, path: 'body/measured_at' },
    'an unknown field': { request: () => sign({ ...event, extra: 1 }), status: 400, path: 'body/extra' },
    'reasons on valid traffic': { request: () => sign({ ...event, reasons: ['data_center'] }), status: 400, path: 'body/reasons' },
    'an impression twice in one callback': { request: () => sign({ events: [event, event] }), status: 400, path: 'body/events/1/impression_id', message: /events\/0/ },
    'more than 1000 events': { request: () => sign(tooManyEvents), status: 400, path: 'body/events' },
    'no events': { request: () => sign({ events: [] }), status: 400, path: 'body/events' },
    'an array body': { request: () => sign([event]), status: 400, path: 'body' },
    'an acme body with a bad verdict': {
      request: () => sign({ results: [{ adId: 'a', campaignRef: 'c', measuredAtMs: 0, verdict: 'MAYBE' }] }, { vendor: 'acme', secret: acmeSecret }),
      status: 400,
      path: 'body/results/0/verdict',
    },
  };
  for (const [name, { request, status, path, message }] of Object.entries(cases)) {
    it(`answers ${status} to ${name}, naming ${path}`, async () => {
      const bus = new RecordingBus();
      const { handler } = setup(bus);
      const response = await handler(request());
      expect(response.status).toBe(status);
      const body = bodyOf(response);
      expect(body.details).toContainEqual(expect.objectContaining({ path, ...(message ? { message: expect.stringMatching(message) } : {}) }));
      expect(bus.messages).toHaveLength(0);
    });
  }

  it('never names a secret in a 401', async () => {
    const { handler } = setup();
    const response = await handler(sign(event, { secret: unknownSecret }));
    for (const secret of [oldSecret, newSecret, acmeSecret, unknownSecret]) {
      expect(String(response.body)).not.toContain(secret.slice(6, 20));
    }
    expect(bodyOf(response).error).toBe('invalid signature');
  });
});

describe('verification routes', () => {
  const routes: Array<[string, string, number]> = [
    ['GET', '/healthz', 200],
    ['POST', '/healthz', 405],
    ['GET', '/verifier', 405],
    ['POST', '/', 404],
    ['POST', '/verifier/extra', 404],
  ];
  for (const [method, path, status] of routes) {
    it(`${method} ${path} -> ${status}`, async () => {
      const { handler } = setup();
      const response = await handler({ ...sign(event), method, path });
      expect(response.status).toBe(status);
      expect(() => JSON.parse(String(response.body))).not.toThrow();
    });
  }
});

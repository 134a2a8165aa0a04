import { describe, expect, it } from 'vitest';
import { computeSignature, tryDecodeSecret } from '../../../../shared/domain/webhooks/signature.ts';
import { tryDecodeVerifyingKey, type VerifyingKey } from '../../../../shared/domain/webhooks/verifying-key.ts';
import {
  computeRefusalStatus,
  describeWebhookRefusal,
  tryVerifyWebhook,
  webhookToleranceSeconds,
  type WebhookHeader,
  type WebhookRefusal,
} from '../../../../shared/domain/webhooks/verify-webhook.ts';
import { computeEd25519Signature, vendorKeyPairFromSeed } from '../../../support/webhooks.ts';

// The Standard Webhooks specification's published test vector (as its reference libraries test it).
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const hmac = (secret: string): VerifyingKey => tryDecodeVerifyingKey(secret) as VerifyingKey;
const key = hmac(vector.secret);
const body = Buffer.from(vector.payload);
const otherKey = hmac('whsec_' + Buffer.alloc(24, 7).toString('base64'));

const svixHeaders = (overrides: Partial<Record<'svix-id' | 'svix-timestamp' | 'svix-signature', string | undefined>> = {}) => ({
  'svix-id': vector.id,
  'svix-timestamp': String(vector.timestamp),
  'svix-signature': vector.signature,
  ...overrides,
});

// A vendor's ed25519 key pair, signing the vector's message (v1a).
const pair = vendorKeyPairFromSeed(Buffer.alloc(32, 1));
const vendor = tryDecodeVerifyingKey(pair.publicKey) as VerifyingKey;
const otherVendor = tryDecodeVerifyingKey(vendorKeyPairFromSeed(Buffer.alloc(32, 2)).publicKey) as VerifyingKey;
const v1a = computeEd25519Signature(pair.privateKey, vector.id, vector.timestamp, body);
const v1aBytes = Buffer.from(v1a.slice(4), 'base64');
const flipped = Buffer.from(v1aBytes).fill((v1aBytes[10] ?? 0) ^ 1, 10, 11);
// 64 bytes are 86 base64 characters and "==": the last character carries 2 bits and 4 ignored ones.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const v1aPaddingBitsChanged = `${v1a.slice(0, -3)}${alphabet[alphabet.indexOf(v1a.at(-3) ?? 'A') ^ 1]}==`;

const signedHeaders = (overrides: Partial<Record<WebhookHeader, string | undefined>> = {}) => ({
  'webhook-id': vector.id,
  'webhook-timestamp': String(vector.timestamp),
  'webhook-signature': vector.signature,
  ...overrides,
});

describe('computeSignature', () => {
  it('reproduces the published Standard Webhooks vector', () => {
    expect(computeSignature(tryDecodeSecret(vector.secret) as Buffer, vector.id, vector.timestamp, body)).toBe(vector.signature);
  });
  it('signs the base64-decoded key, not the secret text', () => {
    expect(computeSignature(Buffer.from(vector.secret), vector.id, vector.timestamp, body)).not.toBe(vector.signature);
  });
});

describe('tryDecodeSecret', () => {
  const refused = ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!', 'WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_ab=c'];
  for (const secret of refused) it(`refuses ${JSON.stringify(secret)}`, () => expect(tryDecodeSecret(secret)).toBeUndefined());
  it('decodes the vector secret to 24 bytes', () => expect(tryDecodeSecret(vector.secret)).toHaveLength(24));
});

describe('tryVerifyWebhook', () => {
  const now = vector.timestamp; // the clock fixed at the vector's timestamp

  it('accepts the published vector with the clock at its timestamp', () => {
    expect(tryVerifyWebhook(signedHeaders(), body, [key], now)).toEqual({ ok: true, id: vector.id, timestamp: vector.timestamp, set: 'webhook' });
  });

  it('accepts the published vector under the svix-* header names, and says so', () => {
    expect(tryVerifyWebhook(svixHeaders(), body, [key], now)).toEqual({ ok: true, id: vector.id, timestamp: vector.timestamp, set: 'svix' });
  });

  const accepted: Record<string, { headers: Record<string, string>; keys?: VerifyingKey[]; now?: number }> = {
    'the oldest timestamp in tolerance': { headers: signedHeaders(), now: now + webhookToleranceSeconds },
    'the newest timestamp in tolerance': { headers: signedHeaders(), now: now - webhookToleranceSeconds },
    'a second signature that matches': { headers: signedHeaders({ 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${vector.signature}` }) },
    'signatures of other versions beside v1': { headers: signedHeaders({ 'webhook-signature': `v1a,abc ${vector.signature} v2,xyz` }) },
    'a rotation: the old key after a new one': { headers: signedHeaders(), keys: [otherKey, key] },
    'a rotation: the new key before an old one': { headers: signedHeaders(), keys: [key, otherKey] },
    'svix-* headers with a second signature': { headers: svixHeaders({ 'svix-signature': `v1,${Buffer.alloc(32).toString('base64')} ${vector.signature}` }) },
    'both header sets saying the same (a relay copying one to the other)': { headers: { ...signedHeaders(), ...svixHeaders() } },
    'svix-* headers beside unrelated headers': { headers: { ...svixHeaders(), 'webhook-source': 'x', 'svix-attempt': '1' } },
    'a v1a signature under a public key': { headers: signedHeaders({ 'webhook-signature': v1a }), keys: [vendor] },
    'a v1a signature under svix-* names': { headers: svixHeaders({ 'svix-signature': v1a }), keys: [vendor] },
    'a migration: v1a under the public key beside the secret': { headers: signedHeaders({ 'webhook-signature': v1a }), keys: [key, vendor] },
    'a migration: v1 under the secret beside the public key': { headers: signedHeaders(), keys: [vendor, key] },
    'a migration: both signatures sent, only the public key left': { headers: signedHeaders({ 'webhook-signature': `${vector.signature} ${v1a}` }), keys: [vendor] },
    'a key-pair rotation: the old public key after a new one': { headers: signedHeaders({ 'webhook-signature': v1a }), keys: [otherVendor, vendor] },
    'a v1a signature after one of an unknown version': { headers: signedHeaders({ 'webhook-signature': `v2,abc ${v1a}` }), keys: [vendor] },
  };
  for (const [name, { headers, keys = [key], now: at = now }] of Object.entries(accepted)) {
    it(`accepts ${name}`, () => expect(tryVerifyWebhook(headers, body, keys, at).ok).toBe(true));
  }

  const tampered = Buffer.from(vector.payload.replace('2432232314', '2432232315'));
  const refused: Record<
    string,
    { headers: Record<string, string | undefined>; body?: Buffer; keys?: VerifyingKey[]; now?: number; reason: WebhookRefusal; header: WebhookHeader; other?: WebhookHeader }
  > = {
    'a tampered body': { headers: signedHeaders(), body: tampered, reason: 'no_match', header: 'webhook-signature' },
    'a body with a trailing newline': { headers: signedHeaders(), body: Buffer.from(vector.payload + '\n'), reason: 'no_match', header: 'webhook-signature' },
    'a wrong secret': { headers: signedHeaders(), keys: [otherKey], reason: 'no_match', header: 'webhook-signature' },
    'no active secret at all': { headers: signedHeaders(), keys: [], reason: 'no_match', header: 'webhook-signature' },
    'another webhook id': { headers: signedHeaders({ 'webhook-id': 'msg_other' }), reason: 'no_match', header: 'webhook-signature' },
    'a stale timestamp': { headers: signedHeaders(), now: now + webhookToleranceSeconds + 1, reason: 'too_old', header: 'webhook-timestamp' },
    'a future timestamp': { headers: signedHeaders(), now: now - webhookToleranceSeconds - 1, reason: 'too_new', header: 'webhook-timestamp' },
    'a timestamp in milliseconds': { headers: signedHeaders({ 'webhook-timestamp': String(vector.timestamp * 1000) }), reason: 'too_new', header: 'webhook-timestamp' },
    'a timestamp that is not a number': { headers: signedHeaders({ 'webhook-timestamp': 'yesterday' }), reason: 'malformed_timestamp', header: 'webhook-timestamp' },
    'a fractional timestamp': { headers: signedHeaders({ 'webhook-timestamp': `${vector.timestamp}.5` }), reason: 'malformed_timestamp', header: 'webhook-timestamp' },
    'a timestamp with a leading zero (not what was signed)': { headers: signedHeaders({ 'webhook-timestamp': `0${vector.timestamp}` }), reason: 'no_match', header: 'webhook-signature' },
    'no webhook-id': { headers: signedHeaders({ 'webhook-id': undefined }), reason: 'missing', header: 'webhook-id' },
    'no webhook-timestamp': { headers: signedHeaders({ 'webhook-timestamp': undefined }), reason: 'missing', header: 'webhook-timestamp' },
    'no webhook-signature': { headers: signedHeaders({ 'webhook-signature': undefined }), reason: 'missing', header: 'webhook-signature' },
    'an empty webhook-id': { headers: signedHeaders({ 'webhook-id': '' }), reason: 'missing', header: 'webhook-id' },
    'an empty signature': { headers: signedHeaders({ 'webhook-signature': '' }), reason: 'missing', header: 'webhook-signature' },
    'a signature of only "v1,"': { headers: signedHeaders({ 'webhook-signature': 'v1,' }), reason: 'no_known_signature', header: 'webhook-signature' },
    'a signature of only "v1a,"': { headers: signedHeaders({ 'webhook-signature': 'v1a,' }), keys: [vendor], reason: 'no_known_signature', header: 'webhook-signature' },
    'a signature without a version': { headers: signedHeaders({ 'webhook-signature': vector.signature.slice(3) }), reason: 'no_known_signature', header: 'webhook-signature' },
    'a signature of another version only': { headers: signedHeaders({ 'webhook-signature': vector.signature.replace('v1,', 'v2,') }), reason: 'no_known_signature', header: 'webhook-signature' },
    'several signatures, none matching': {
      headers: signedHeaders({ 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} v1,${Buffer.alloc(32, 1).toString('base64')}` }),
      reason: 'no_match',
      header: 'webhook-signature',
    },
    'a signature with padding bits changed (decodes to the same bytes)': {
      headers: signedHeaders({ 'webhook-signature': vector.signature.replace('1OE=', '1OF=') }),
      reason: 'no_match',
      header: 'webhook-signature',
    },
    'the signature in lower case': { headers: signedHeaders({ 'webhook-signature': vector.signature.toLowerCase() }), reason: 'no_match', header: 'webhook-signature' },

    // svix-* names: the same checks, each naming the svix header.
    'svix-*: a tampered body': { headers: svixHeaders(), body: tampered, reason: 'no_match', header: 'svix-signature' },
    'svix-*: a stale timestamp': { headers: svixHeaders(), now: now + webhookToleranceSeconds + 1, reason: 'too_old', header: 'svix-timestamp' },
    'svix-*: no svix-id': { headers: svixHeaders({ 'svix-id': undefined }), reason: 'missing', header: 'svix-id' },
    'svix-*: no svix-signature': { headers: svixHeaders({ 'svix-signature': undefined }), reason: 'missing', header: 'svix-signature' },
    'svix-*: an empty svix-timestamp': { headers: svixHeaders({ 'svix-timestamp': '' }), reason: 'missing', header: 'svix-timestamp' },
    'no header of either set': { headers: {}, reason: 'missing', header: 'webhook-id' },

    // Both sets: read only when they agree.
    'both sets with another id': { headers: { ...signedHeaders(), ...svixHeaders({ 'svix-id': 'msg_other' }) }, reason: 'conflicting_headers', header: 'svix-id', other: 'webhook-id' },
    'both sets with another signature': {
      headers: { ...signedHeaders(), ...svixHeaders({ 'svix-signature': `v1,${Buffer.alloc(32).toString('base64')}` }) },
      reason: 'conflicting_headers',
      header: 'svix-signature',
      other: 'webhook-signature',
    },
    'a mix: webhook-id with svix-timestamp and svix-signature': {
      headers: { 'webhook-id': vector.id, 'svix-timestamp': String(vector.timestamp), 'svix-signature': vector.signature },
      reason: 'conflicting_headers',
      header: 'svix-id',
      other: 'webhook-id',
    },
    'a full set beside one header of the other': { headers: { ...svixHeaders(), 'webhook-signature': vector.signature }, reason: 'conflicting_headers', header: 'svix-id', other: 'webhook-id' },

    // Asymmetric signatures: ed25519 under public keys only, HMAC under secrets only.
    'a v1a signature under the secret alone': { headers: signedHeaders({ 'webhook-signature': v1a }), keys: [key], reason: 'no_match', header: 'webhook-signature' },
    'a v1 signature under the public key alone': { headers: signedHeaders(), keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature relabelled v1': { headers: signedHeaders({ 'webhook-signature': v1a.replace('v1a,', 'v1,') }), keys: [key, vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1 signature relabelled v1a': { headers: signedHeaders({ 'webhook-signature': vector.signature.replace('v1,', 'v1a,') }), keys: [key, vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature under another public key': { headers: signedHeaders({ 'webhook-signature': v1a }), keys: [otherVendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature over a tampered body': { headers: signedHeaders({ 'webhook-signature': v1a }), body: tampered, keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature of another webhook id': { headers: signedHeaders({ 'webhook-id': 'msg_other', 'webhook-signature': v1a }), keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature without its padding': { headers: signedHeaders({ 'webhook-signature': v1a.replace(/=+$/, '') }), keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature with padding bits changed': { headers: signedHeaders({ 'webhook-signature': v1aPaddingBitsChanged }), keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature cut to 63 bytes': { headers: signedHeaders({ 'webhook-signature': `v1a,${v1aBytes.subarray(0, 63).toString('base64')}` }), keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature with a byte flipped': { headers: signedHeaders({ 'webhook-signature': `v1a,${flipped.toString('base64')}` }), keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
    'a v1a signature that is not base64': { headers: signedHeaders({ 'webhook-signature': 'v1a,not-base64!!' }), keys: [vendor], reason: 'no_match', header: 'webhook-signature' },
  };
  for (const [name, c] of Object.entries(refused)) {
    it(`refuses ${name} (${c.reason})`, () => {
      const expected = { ok: false, reason: c.reason, header: c.header, ...(c.other ? { other: c.other } : {}) };
      expect(tryVerifyWebhook(c.headers, c.body ?? body, c.keys ?? [key], c.now ?? now)).toEqual(expected);
    });
  }

  it('changing padding bits alone leaves the decoded signature as it was (the case above tests the text, not the bytes)', () => {
    expect(Buffer.from(v1aPaddingBitsChanged.slice(4), 'base64')).toEqual(v1aBytes);
    expect(v1aPaddingBitsChanged).not.toBe(v1a);
  });

  it('treats svix-* headers sent as a list as missing', () => {
    expect(tryVerifyWebhook({ ...svixHeaders(), 'svix-id': [vector.id, vector.id] }, body, [key], now)).toMatchObject({ ok: false, reason: 'missing', header: 'svix-id' });
  });

  it('treats a header sent as a list as missing', () => {
    expect(tryVerifyWebhook({ ...signedHeaders(), 'webhook-id': [vector.id, vector.id] }, body, [key], now)).toMatchObject({ ok: false, reason: 'missing' });
  });
});

describe('refusal statuses and messages', () => {
  const cases: Record<WebhookRefusal, 400 | 401> = {
    conflicting_headers: 400,
    missing: 401,
    malformed_timestamp: 401,
    too_old: 401,
    too_new: 401,
    no_known_signature: 401,
    no_match: 401,
  };
  for (const [reason, status] of Object.entries(cases) as Array<[WebhookRefusal, 400 | 401]>) {
    it(`answers ${reason} with ${status}`, () => expect(computeRefusalStatus(reason)).toBe(status));
  }
  it('names the other header of a conflict', () => {
    expect(describeWebhookRefusal({ reason: 'conflicting_headers', other: 'webhook-id' })).toMatch(/^differs from webhook-id: send one set/);
  });
});

import { describe, expect, it } from 'vitest';
import { computeSignature, tryDecodeSecret } from '../../../shared/webhooks/signature.ts';
import { tryVerifyWebhook, webhookToleranceSeconds, type WebhookHeader, type WebhookRefusal } from '../../../shared/webhooks/verify-webhook.ts';

// The Standard Webhooks specification's published test vector (as its reference libraries test it).
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const key = tryDecodeSecret(vector.secret) as Buffer;
const body = Buffer.from(vector.payload);
const otherKey = tryDecodeSecret('whsec_' + Buffer.alloc(24, 7).toString('base64')) as Buffer;

const signedHeaders = (overrides: Partial<Record<WebhookHeader, string | undefined>> = {}) => ({
  'webhook-id': vector.id,
  'webhook-timestamp': String(vector.timestamp),
  'webhook-signature': vector.signature,
  ...overrides,
});

describe('computeSignature', () => {
  it('reproduces the published Standard Webhooks vector', () => {
    expect(computeSignature(key, vector.id, vector.timestamp, body)).toBe(vector.signature);
  });
  it('signs the base64-decoded key, not the secret text', () => {
    expect(computeSignature(Buffer.from(vector.secret), vector.id, vector.timestamp, body)).not.toBe(vector.signature);
  });
});

describe('tryDecodeSecret', () => {
  const refused = ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!', 'WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_ab=c'];
  for (const secret of refused) it(`refuses ${JSON.stringify(secret)}`, () => expect(tryDecodeSecret(secret)).toBeUndefined());
  it('decodes the vector secret to 24 bytes', () => expect(key).toHaveLength(24));
});

describe('tryVerifyWebhook', () => {
  const now = vector.timestamp; // the clock fixed at the vector's timestamp

  it('accepts the published vector with the clock at its timestamp', () => {
    expect(tryVerifyWebhook(signedHeaders(), body, [key], now)).toEqual({ ok: true, id: vector.id, timestamp: vector.timestamp });
  });

  const accepted: Record<string, { headers: Record<string, string>; keys?: Buffer[]; now?: number }> = {
    'the oldest timestamp in tolerance': { headers: signedHeaders(), now: now + webhookToleranceSeconds },
    'the newest timestamp in tolerance': { headers: signedHeaders(), now: now - webhookToleranceSeconds },
    'a second signature that matches': { headers: signedHeaders({ 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')} ${vector.signature}` }) },
    'signatures of other versions beside v1': { headers: signedHeaders({ 'webhook-signature': `v1a,abc ${vector.signature} v2,xyz` }) },
    'a rotation: the old key after a new one': { headers: signedHeaders(), keys: [otherKey, key] },
    'a rotation: the new key before an old one': { headers: signedHeaders(), keys: [key, otherKey] },
  };
  for (const [name, { headers, keys = [key], now: at = now }] of Object.entries(accepted)) {
    it(`accepts ${name}`, () => expect(tryVerifyWebhook(headers, body, keys, at).ok).toBe(true));
  }

  const tampered = Buffer.from(vector.payload.replace('2432232314', '2432232315'));
  const refused: Record<string, { headers: Record<string, string | undefined>; body?: Buffer; keys?: Buffer[]; now?: number; reason: WebhookRefusal; header: WebhookHeader }> = {
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
    'a signature of only "v1,"': { headers: signedHeaders({ 'webhook-signature': 'v1,' }), reason: 'no_v1_signature', header: 'webhook-signature' },
    'a signature without a version': { headers: signedHeaders({ 'webhook-signature': vector.signature.slice(3) }), reason: 'no_v1_signature', header: 'webhook-signature' },
    'a signature of another version only': { headers: signedHeaders({ 'webhook-signature': vector.signature.replace('v1,', 'v2,') }), reason: 'no_v1_signature', header: 'webhook-signature' },
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
  };
  for (const [name, c] of Object.entries(refused)) {
    it(`refuses ${name} (${c.reason})`, () => {
      expect(tryVerifyWebhook(c.headers, c.body ?? body, c.keys ?? [key], c.now ?? now)).toEqual({ ok: false, reason: c.reason, header: c.header });
    });
  }

  it('treats a header sent as a list as missing', () => {
    expect(tryVerifyWebhook({ ...signedHeaders(), 'webhook-id': [vector.id, vector.id] }, body, [key], now)).toMatchObject({ ok: false, reason: 'missing' });
  });
});

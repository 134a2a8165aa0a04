import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSignature } from '../../../../shared/domain/webhooks/signature.ts';
import { tryDecodeVerifyingKey, type VerifyingKey } from '../../../../shared/domain/webhooks/verifying-key.ts';
import { tryVerifyWebhook, webhookHeaderSets, webhookToleranceSeconds, type WebhookHeaderSet } from '../../../../shared/domain/webhooks/verify-webhook.ts';
import { computeEd25519Signature, vendorKeyPairFromSeed } from '../../../support/webhooks.ts';

const now = 1_800_000_000;

/** How a vendor signs: a shared HMAC key (v1), or an ed25519 key pair from a seed (v1a). */
interface Signer {
  kind: 'hmac' | 'ed25519';
  /** What Earshot is configured with. */
  key: VerifyingKey;
  /** The raw bytes of that key (the HMAC key, or the public key), to try as a key of the other kind. */
  raw: Buffer;
  sign: (id: string, timestamp: string, body: Buffer) => string;
}

const hmacSigner = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes): Signer => {
  const key = Buffer.from(bytes);
  return { kind: 'hmac', key: { kind: 'hmac', key }, raw: key, sign: (id, timestamp, body) => computeSignature(key, id, timestamp, body) };
});
const ed25519Signer = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((seed): Signer => {
  const pair = vendorKeyPairFromSeed(Buffer.from(seed));
  const key = tryDecodeVerifyingKey(pair.publicKey) as VerifyingKey;
  return { kind: 'ed25519', key, raw: Buffer.from(pair.publicKey.slice(5), 'base64'), sign: (id, timestamp, body) => computeEd25519Signature(pair.privateKey, id, timestamp, body) };
});

/** A request signed by a vendor, as it would send it, under either header set. */
const signedRequest = fc.record({
  signer: fc.oneof(hmacSigner, ed25519Signer),
  set: fc.constantFrom<WebhookHeaderSet>('webhook', 'svix'),
  id: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\n')),
  skew: fc.integer({ min: -webhookToleranceSeconds, max: webhookToleranceSeconds }),
  body: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
});
type SignedRequest = typeof signedRequest extends fc.Arbitrary<infer T> ? T : never;

function headersOf(r: SignedRequest): Record<string, string> {
  const timestamp = String(now + r.skew);
  const names = webhookHeaderSets[r.set];
  return { [names.id]: r.id, [names.timestamp]: timestamp, [names.signature]: r.signer.sign(r.id, timestamp, r.body) };
}

const roles = ['id', 'timestamp', 'signature'] as const;

/** HMAC key bytes read as an ed25519 public key (cut or zero-padded to 32 bytes); none when that is no key. */
function asPublicKeys(raw: Buffer): VerifyingKey[] {
  const key = tryDecodeVerifyingKey(`whpk_${Buffer.concat([raw, Buffer.alloc(32)]).subarray(0, 32).toString('base64')}`);
  return key ? [key] : [];
}

/** One edit of a byte string: change, insert or delete a byte somewhere. */
const byteEdit = fc.record({ at: fc.nat(), kind: fc.constantFrom('change', 'insert', 'delete'), byte: fc.integer({ min: 0, max: 255 }), xor: fc.integer({ min: 1, max: 255 }) });
function applyByteEdit(body: Buffer, edit: typeof byteEdit extends fc.Arbitrary<infer T> ? T : never): Buffer {
  const bytes = [...body];
  const at = bytes.length ? edit.at % (bytes.length + (edit.kind === 'insert' ? 1 : 0)) : 0;
  if (edit.kind === 'insert' || bytes.length === 0) bytes.splice(at, 0, edit.byte);
  else if (edit.kind === 'delete') bytes.splice(at, 1);
  else bytes[at] = (bytes[at] ?? 0) ^ edit.xor;
  return Buffer.from(bytes);
}

/** One edit of a header's text; never a space, which only separates signatures. */
const textEdit = fc.record({ at: fc.nat(), kind: fc.constantFrom('change', 'insert', 'delete'), char: fc.constantFrom(...'v1a,=+/09AZaz_-.'.split('')) });
function applyTextEdit(text: string, edit: typeof textEdit extends fc.Arbitrary<infer T> ? T : never): string {
  const chars = [...text];
  const at = edit.at % (chars.length + (edit.kind === 'insert' ? 1 : 0));
  if (edit.kind === 'insert') chars.splice(at, 0, edit.char);
  else if (edit.kind === 'delete') chars.splice(at, 1);
  else chars[at] = edit.char;
  return chars.join('');
}

describe('tryVerifyWebhook properties (v1 and v1a signatures, webhook-* and svix-* headers)', () => {
  it('accepts every request as signed, within the tolerance, and says which header set it read', () => {
    fc.assert(
      fc.property(signedRequest, (r) => {
        expect(tryVerifyWebhook(headersOf(r), r.body, [r.signer.key], now)).toEqual({ ok: true, id: r.id, timestamp: now + r.skew, set: r.set });
      }),
      { numRuns: 300 },
    );
  });

  it('accepts no edit of the body', () => {
    fc.assert(
      fc.property(signedRequest, byteEdit, (r, edit) => {
        const body = applyByteEdit(r.body, edit);
        fc.pre(!body.equals(r.body));
        expect(tryVerifyWebhook(headersOf(r), body, [r.signer.key], now).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts no edit of any header', () => {
    fc.assert(
      fc.property(signedRequest, fc.constantFrom(...roles), textEdit, (r, role, edit) => {
        const headers = headersOf(r);
        const name = webhookHeaderSets[r.set][role];
        const edited = applyTextEdit(headers[name] ?? '', edit);
        fc.pre(edited !== headers[name]);
        expect(tryVerifyWebhook({ ...headers, [name]: edited }, r.body, [r.signer.key], now).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts no other key of the same kind', () => {
    fc.assert(
      fc.property(signedRequest, fc.oneof(hmacSigner, ed25519Signer), (r, other) => {
        fc.pre(!other.raw.equals(r.signer.raw));
        expect(tryVerifyWebhook(headersOf(r), r.body, [other.key], now).ok).toBe(false);
      }),
    );
  });

  it('never verifies a signature of one kind with a key of the other, even one of the same bytes or relabelled', () => {
    fc.assert(
      fc.property(signedRequest, (r) => {
        const headers = headersOf(r);
        const name = webhookHeaderSets[r.set].signature;
        const signature = headers[name] ?? '';
        const [version, value] = [signature.slice(0, signature.indexOf(',')), signature.slice(signature.indexOf(',') + 1)];
        const sameBytesOtherKind = r.signer.kind === 'ed25519' ? [{ kind: 'hmac', key: r.signer.raw } as const] : asPublicKeys(r.signer.raw);
        expect(tryVerifyWebhook(headers, r.body, sameBytesOtherKind, now).ok).toBe(false);
        const relabelled = `${version === 'v1' ? 'v1a' : 'v1'},${value}`;
        expect(tryVerifyWebhook({ ...headers, [name]: relabelled }, r.body, [r.signer.key], now).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('accepts no request signed longer ago, or further ahead, than the tolerance', () => {
    const outside = fc.oneof(fc.integer({ min: webhookToleranceSeconds + 1, max: 10 ** 9 }), fc.integer({ min: -(10 ** 9), max: -webhookToleranceSeconds - 1 }));
    fc.assert(
      fc.property(signedRequest, outside, (r, skew) => {
        expect(tryVerifyWebhook(headersOf({ ...r, skew }), r.body, [r.signer.key], now).ok).toBe(false);
      }),
    );
  });

  it('refuses a request whose other header set says anything else, as a conflict', () => {
    fc.assert(
      fc.property(signedRequest, fc.subarray([...roles], { minLength: 1 }), fc.string({ maxLength: 20 }), (r, roles, value) => {
        const headers = headersOf(r);
        const other = webhookHeaderSets[r.set === 'webhook' ? 'svix' : 'webhook'];
        const names = webhookHeaderSets[r.set];
        const extra = Object.fromEntries(roles.map((role) => [other[role], value]));
        fc.pre(roles.some((role) => headers[names[role]] !== value) || roles.length < 3);
        expect(tryVerifyWebhook({ ...headers, ...extra }, r.body, [r.signer.key], now)).toMatchObject({ ok: false, reason: 'conflicting_headers' });
      }),
    );
  });
});

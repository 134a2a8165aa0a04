import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeSignature } from '../../../shared/webhooks/signature.ts';
import { tryVerifyWebhook, webhookToleranceSeconds } from '../../../shared/webhooks/verify-webhook.ts';

const now = 1_800_000_000;

/** A request signed by `key`, as a vendor would send it. */
const signedRequest = fc.record({
  key: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  id: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\n')),
  skew: fc.integer({ min: -webhookToleranceSeconds, max: webhookToleranceSeconds }),
  body: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
});
type SignedRequest = typeof signedRequest extends fc.Arbitrary<infer T> ? T : never;

function headersOf(r: SignedRequest) {
  const timestamp = String(now + r.skew);
  return { 'webhook-id': r.id, 'webhook-timestamp': timestamp, 'webhook-signature': computeSignature(r.key, r.id, timestamp, r.body) };
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
const textEdit = fc.record({ at: fc.nat(), kind: fc.constantFrom('change', 'insert', 'delete'), char: fc.constantFrom(...'v1,=+/09AZaz_-.'.split('')) });
function applyTextEdit(text: string, edit: typeof textEdit extends fc.Arbitrary<infer T> ? T : never): string {
  const chars = [...text];
  const at = edit.at % (chars.length + (edit.kind === 'insert' ? 1 : 0));
  if (edit.kind === 'insert') chars.splice(at, 0, edit.char);
  else if (edit.kind === 'delete') chars.splice(at, 1);
  else chars[at] = edit.char;
  return chars.join('');
}

describe('tryVerifyWebhook properties', () => {
  it('accepts every request as signed, within the tolerance', () => {
    fc.assert(fc.property(signedRequest, (r) => tryVerifyWebhook(headersOf(r), r.body, [r.key], now).ok));
  });

  it('accepts no edit of the body', () => {
    fc.assert(
      fc.property(signedRequest, byteEdit, (r, edit) => {
        const body = applyByteEdit(r.body, edit);
        fc.pre(!body.equals(r.body));
        expect(tryVerifyWebhook(headersOf(r), body, [r.key], now).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('accepts no edit of any header', () => {
    const header = fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature');
    fc.assert(
      fc.property(signedRequest, header, textEdit, (r, name, edit) => {
        const headers = headersOf(r);
        const edited = applyTextEdit(headers[name], edit);
        fc.pre(edited !== headers[name]);
        expect(tryVerifyWebhook({ ...headers, [name]: edited }, r.body, [r.key], now).ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts no other key', () => {
    fc.assert(
      fc.property(signedRequest, fc.uint8Array({ minLength: 1, maxLength: 64 }), (r, other) => {
        fc.pre(!Buffer.from(other).equals(r.key));
        expect(tryVerifyWebhook(headersOf(r), r.body, [Buffer.from(other)], now).ok).toBe(false);
      }),
    );
  });

  it('accepts no request signed longer ago, or further ahead, than the tolerance', () => {
    const outside = fc.oneof(fc.integer({ min: webhookToleranceSeconds + 1, max: 10 ** 9 }), fc.integer({ min: -(10 ** 9), max: -webhookToleranceSeconds - 1 }));
    fc.assert(
      fc.property(signedRequest, outside, (r, skew) => {
        expect(tryVerifyWebhook(headersOf({ ...r, skew }), r.body, [r.key], now).ok).toBe(false);
      }),
    );
  });
});

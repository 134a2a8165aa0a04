import { timingSafeEqual } from 'node:crypto';
import { computeSignature } from './signature.ts';

/** Standard Webhooks: a timestamp more than five minutes away from now, either way, is refused. */
export const webhookToleranceSeconds = 5 * 60;

export const webhookHeaders = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
export type WebhookHeader = (typeof webhookHeaders)[number];

/** Why a signed request was refused; none of them says which secret was tried. */
export type WebhookRefusal = 'missing' | 'malformed_timestamp' | 'too_old' | 'too_new' | 'no_v1_signature' | 'no_match';

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: WebhookRefusal; header: WebhookHeader };

/** Headers as node:http gives them: lower-case names, a value, a list, or nothing. */
export type WebhookRequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

const refusalMessages: Record<WebhookRefusal, string> = {
  missing: 'is required (Standard Webhooks)',
  malformed_timestamp: 'must be whole seconds since the Unix epoch',
  too_old: `is more than ${webhookToleranceSeconds} s in the past`,
  too_new: `is more than ${webhookToleranceSeconds} s in the future`,
  no_v1_signature: 'has no v1,<base64> signature',
  no_match: 'matches no active secret of this vendor',
};

/** A message for the sender: what is wrong, never which secret or what was expected. */
export function describeWebhookRefusal(reason: WebhookRefusal): string {
  return refusalMessages[reason];
}

function headerText(headers: WebhookRequestHeaders, name: WebhookHeader): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The `v1` entries of a `webhook-signature` header: space-separated `<version>,<base64>`. */
function computeV1Signatures(header: string): string[] {
  return header.split(' ').filter((entry) => entry.startsWith('v1,') && entry.length > 3);
}

/** Equal text, compared in constant time for equal lengths (a signature's length is public). */
function isSameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Verifies a Standard Webhooks request against every active key of its sender (several during a
 * rotation). The signature is compared as text, not as decoded bytes: base64 decoding is lenient
 * (ignored padding bits, stray characters), so two different headers could decode alike.
 */
export function tryVerifyWebhook(
  headers: WebhookRequestHeaders,
  body: Buffer,
  keys: readonly Buffer[],
  nowSeconds: number,
): WebhookVerification {
  const refuse = (reason: WebhookRefusal, header: WebhookHeader): WebhookVerification => ({ ok: false, reason, header });
  const id = headerText(headers, 'webhook-id');
  const timestamp = headerText(headers, 'webhook-timestamp');
  const signature = headerText(headers, 'webhook-signature');
  if (id === undefined) return refuse('missing', 'webhook-id');
  if (timestamp === undefined) return refuse('missing', 'webhook-timestamp');
  if (signature === undefined) return refuse('missing', 'webhook-signature');
  if (!/^\d{1,15}$/.test(timestamp)) return refuse('malformed_timestamp', 'webhook-timestamp');
  const seconds = Number(timestamp);
  if (nowSeconds - seconds > webhookToleranceSeconds) return refuse('too_old', 'webhook-timestamp');
  if (seconds - nowSeconds > webhookToleranceSeconds) return refuse('too_new', 'webhook-timestamp');
  const given = computeV1Signatures(signature);
  if (given.length === 0) return refuse('no_v1_signature', 'webhook-signature');
  for (const key of keys) {
    const expected = computeSignature(key, id, timestamp, body);
    if (given.some((candidate) => isSameText(candidate, expected))) return { ok: true, id, timestamp: seconds };
  }
  return refuse('no_match', 'webhook-signature');
}

import { timingSafeEqual } from 'node:crypto';
import { isEd25519Signature } from './ed25519-signature.ts';
import { tryReadWebhookHeaders, webhookHeaderSets, type WebhookHeader, type WebhookHeaderSet, type WebhookRequestHeaders } from './header-sets.ts';
import { computeSignature } from './signature.ts';
import { signatureVersion, type VerifyingKey } from './verifying-key.ts';

export { webhookHeaderSets, type WebhookHeader, type WebhookHeaderSet, type WebhookRequestHeaders } from './header-sets.ts';
export type { VerifyingKey } from './verifying-key.ts';

/** Standard Webhooks: a timestamp more than five minutes away from now, either way, is refused. */
export const webhookToleranceSeconds = 5 * 60;

/** Why a signed request was refused; none of them says which key was tried. */
export type WebhookRefusal = 'conflicting_headers' | 'missing' | 'malformed_timestamp' | 'too_old' | 'too_new' | 'no_known_signature' | 'no_match';

/** A refused request: the header at fault (of the set that was read) and, for a conflict, the header it contradicts. */
export interface WebhookRefused {
  ok: false;
  reason: WebhookRefusal;
  header: WebhookHeader;
  other?: WebhookHeader;
}

export type WebhookVerification = { ok: true; id: string; timestamp: number; set: WebhookHeaderSet } | WebhookRefused;

const refusalMessages: Record<WebhookRefusal, string> = {
  conflicting_headers: 'differs from the same header of the other set: send one set, webhook-* or svix-*, not both',
  missing: 'is required (Standard Webhooks: webhook-id, webhook-timestamp and webhook-signature, or their svix-* names)',
  malformed_timestamp: 'must be whole seconds since the Unix epoch',
  too_old: `is more than ${webhookToleranceSeconds} s in the past`,
  too_new: `is more than ${webhookToleranceSeconds} s in the future`,
  no_known_signature: 'has no v1,<base64> (HMAC) or v1a,<base64> (ed25519) signature',
  no_match: 'matches no active secret or public key of this vendor',
};

/** A message for the sender: what is wrong, never which key or what was expected. */
export function describeWebhookRefusal(refusal: Pick<WebhookRefused, 'reason' | 'other'>): string {
  if (refusal.reason === 'conflicting_headers' && refusal.other) return `differs from ${refusal.other}: send one set, webhook-* or svix-*, not both`;
  return refusalMessages[refusal.reason];
}

/** A conflict between the two header sets is a malformed request (400); every other refusal is a signature problem (401). */
export function computeRefusalStatus(reason: WebhookRefusal): 400 | 401 {
  return reason === 'conflicting_headers' ? 400 : 401;
}

/** The `v1` and `v1a` entries of a signature header: space-separated `<version>,<base64>`; others ignored. */
function computeSignatureEntries(header: string): Array<{ version: 'v1' | 'v1a'; value: string }> {
  return header.split(' ').flatMap((entry) => {
    const comma = entry.indexOf(',');
    const version = entry.slice(0, comma);
    const value = entry.slice(comma + 1);
    return comma > 0 && value !== '' && (version === 'v1' || version === 'v1a') ? [{ version, value }] : [];
  });
}

/** Equal text, compared in constant time for equal lengths (a signature's length is public). */
function isSameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Whether `value` is a signature of the message under `key`: HMAC for `v1`, ed25519 for `v1a`. */
function isSignedBy(key: VerifyingKey, id: string, timestamp: string, body: Buffer, value: string): boolean {
  if (key.kind === 'ed25519') return isEd25519Signature(key.key, id, timestamp, body, value);
  return isSameText(`v1,${value}`, computeSignature(key.key, id, timestamp, body));
}

/**
 * Verifies a Standard Webhooks request against every active key of its sender (several during a
 * rotation or a move from a shared secret to a key pair), with either header set. A signature is
 * only tried against keys of its own kind, so a `v1` HMAC never meets a public key nor `v1a` a
 * secret. An HMAC is compared as text, not decoded bytes: base64 decoding is lenient (ignored
 * padding bits, stray characters), so two different headers could decode alike.
 */
export function tryVerifyWebhook(headers: WebhookRequestHeaders, body: Buffer, keys: readonly VerifyingKey[], nowSeconds: number): WebhookVerification {
  const read = tryReadWebhookHeaders(headers);
  if (!read.ok) {
    const [first] = read.conflicts;
    return { ok: false, reason: 'conflicting_headers', header: first?.header ?? 'svix-id', other: first?.other ?? 'webhook-id' };
  }
  const names = webhookHeaderSets[read.set];
  const refuse = (reason: WebhookRefusal, header: WebhookHeader): WebhookRefused => ({ ok: false, reason, header });
  const { id, timestamp, signature } = read;
  if (id === undefined) return refuse('missing', names.id);
  if (timestamp === undefined) return refuse('missing', names.timestamp);
  if (signature === undefined) return refuse('missing', names.signature);
  if (!/^\d{1,15}$/.test(timestamp)) return refuse('malformed_timestamp', names.timestamp);
  const seconds = Number(timestamp);
  if (nowSeconds - seconds > webhookToleranceSeconds) return refuse('too_old', names.timestamp);
  if (seconds - nowSeconds > webhookToleranceSeconds) return refuse('too_new', names.timestamp);
  const given = computeSignatureEntries(signature);
  if (given.length === 0) return refuse('no_known_signature', names.signature);
  for (const key of keys) {
    const version = signatureVersion[key.kind];
    if (given.some((entry) => entry.version === version && isSignedBy(key, id, timestamp, body, entry.value))) {
      return { ok: true, id, timestamp: seconds, set: read.set };
    }
  }
  return refuse('no_match', names.signature);
}

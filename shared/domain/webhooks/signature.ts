import { createHmac } from 'node:crypto';

/** Standard Webhooks: a secret is `whsec_` followed by the HMAC key in base64. */
const secretPrefix = 'whsec_';

/** The HMAC key of a `whsec_` secret; undefined when the text is not one (no prefix, not base64, empty). */
export function tryDecodeSecret(secret: string): Buffer | undefined {
  if (!secret.startsWith(secretPrefix)) return undefined;
  const base64 = secret.slice(secretPrefix.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const key = Buffer.from(base64, 'base64');
  return key.length > 0 ? key : undefined;
}

/**
 * The `v1,<base64>` signature of a message: HMAC-SHA256 under the decoded key over
 * `<webhook-id>.<webhook-timestamp>.<body>`, the body as the exact bytes sent (never re-serialized
 * JSON, whose spacing and key order would differ from what the sender signed).
 */
export function computeSignature(key: Buffer, id: string, timestamp: string | number, body: Buffer): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

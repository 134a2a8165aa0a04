import { computeSignature, tryDecodeSecret } from '../../shared/domain/webhooks/signature.ts';

/**
 * The headers a vendor signs a callback with (Standard Webhooks). The webhook id is the caller's,
 * deterministic in the simulation, so a re-sent callback is recognised as the same one.
 */
export function signCallback(secret: string, webhookId: string, body: Buffer, now: Date): Record<string, string> {
  const key = tryDecodeSecret(secret);
  if (!key) throw new Error('the vendor secret is not a whsec_ secret');
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': webhookId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': computeSignature(key, webhookId, timestamp, body),
  };
}

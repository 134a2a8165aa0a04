import { createHash } from 'node:crypto';

/**
 * The state-store id recording that a vendor's webhook was stored. A `webhook-id` is whatever the
 * vendor sent (any length, `/` allowed), and Firestore ids may not contain `/`, exceed 1500 bytes
 * or look like `__x__`. So the id is a readable prefix of the vendor (unsafe characters replaced)
 * and a hex digest of vendor and webhook id: hex has no `_`, and hashing the full vendor keeps a
 * shortened or replaced prefix from merging two vendors.
 */
export function computeWebhookDocId(vendor: string, webhookId: string): string {
  const digest = createHash('sha256').update(vendor).update('\0').update(webhookId).digest('hex');
  return `${vendor.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100)}:${digest}`;
}

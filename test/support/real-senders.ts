import type { KeyObject } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { computeEd25519Signature } from './webhooks.ts';

/**
 * Vendor callbacks as real senders send them: HMAC-signed by the official Standard Webhooks
 * library (`standardwebhooks`, which no one here wrote) under the specification's `webhook-*`
 * names or the `svix-*` names Svix-based senders use, and ed25519-signed (`v1a`) by node:crypto;
 * with the tampered, stale, conflicting and repeated ones a receiver must tell apart. Each case
 * says what the README promises for it, so the same list checks the cloud and the local path.
 */
export interface SenderCase {
  name: string;
  headers: Record<string, string>;
  body: string;
  status: 204 | 400 | 401;
  /** The error detail's path a refusal names (every refusal names one). */
  path?: string;
  /** The impression a 204 stores (once, however often it is sent). */
  stores?: string;
}

export interface Vendor {
  /** Its `whsec_` secret, as configured. */
  secret: string;
  /** The private half of the key pair whose `whpk_` public key is configured. */
  privateKey: KeyObject;
}

const renameToSvix = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.replace(/^webhook-/, 'svix-'), value]));

/** Every case, signed at `now` (the receiver's clock), for one vendor's secret and key pair. */
export function computeSenderCases(vendor: Vendor, now: Date, run: string): SenderCase[] {
  const official = new Webhook(vendor.secret);
  const stranger = new Webhook('whsec_' + Buffer.from('a secret no vendor of ours holds').toString('base64'));
  const seconds = Math.floor(now.getTime() / 1000);
  const callback = (impression: string) => JSON.stringify({ impression_id: `${run}-${impression}`, campaign_id: 'camp-mattress', measured_at: now.toISOString(), ivt: 'givt', reasons: ['known_crawler'] });
  /** Signed by the official library: it returns `v1,<base64>` for the three `webhook-*` headers. */
  const hmacHeaders = (id: string, body: string, at = now, signer = official): Record<string, string> => ({
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signer.sign(id, at, body),
  });
  const ed25519Headers = (id: string, body: string): Record<string, string> => ({
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': computeEd25519Signature(vendor.privateKey, id, seconds, Buffer.from(body)),
  });
  const id = (name: string) => `msg_${run}_${name}`;
  const tampered = (body: string) => body.replace('givt', 'sivt');

  const a = callback('lib-webhook');
  const b = callback('lib-svix');
  const c = callback('ed25519-webhook');
  const d = callback('ed25519-svix');
  const e = callback('both-kinds');
  return [
    { name: 'official library, webhook-* headers', headers: hmacHeaders(id('a'), a), body: a, status: 204, stores: `${run}-lib-webhook` },
    { name: 'official library, webhook-* headers, sent again', headers: hmacHeaders(id('a'), a), body: a, status: 204, stores: `${run}-lib-webhook` },
    { name: 'official library, svix-* headers', headers: renameToSvix(hmacHeaders(id('b'), b)), body: b, status: 204, stores: `${run}-lib-svix` },
    {
      name: 'official library, svix-* headers, a retry re-signed later',
      headers: renameToSvix(hmacHeaders(id('b'), b, new Date(now.getTime() + 60_000))),
      body: b,
      status: 204,
      stores: `${run}-lib-svix`,
    },
    { name: 'the same id under the other header set', headers: hmacHeaders(id('b'), b), body: b, status: 204, stores: `${run}-lib-svix` },
    { name: 'ed25519 (v1a), webhook-* headers', headers: ed25519Headers(id('c'), c), body: c, status: 204, stores: `${run}-ed25519-webhook` },
    { name: 'ed25519 (v1a), svix-* headers', headers: renameToSvix(ed25519Headers(id('d'), d)), body: d, status: 204, stores: `${run}-ed25519-svix` },
    { name: 'ed25519 (v1a), svix-* headers, sent again', headers: renameToSvix(ed25519Headers(id('d'), d)), body: d, status: 204, stores: `${run}-ed25519-svix` },
    {
      name: 'both signatures in one header (a sender mid-migration)',
      headers: { ...hmacHeaders(id('e'), e), 'webhook-signature': `${hmacHeaders(id('e'), e)['webhook-signature']} ${ed25519Headers(id('e'), e)['webhook-signature']}` },
      body: e,
      status: 204,
      stores: `${run}-both-kinds`,
    },
    { name: 'official library, tampered body', headers: hmacHeaders(id('t1'), a), body: tampered(a), status: 401, path: 'headers/webhook-signature' },
    { name: 'official library, svix-*, tampered body', headers: renameToSvix(hmacHeaders(id('t2'), b)), body: tampered(b), status: 401, path: 'headers/svix-signature' },
    { name: 'ed25519, tampered body', headers: ed25519Headers(id('t3'), c), body: tampered(c), status: 401, path: 'headers/webhook-signature' },
    { name: 'ed25519, svix-*, tampered body', headers: renameToSvix(ed25519Headers(id('t4'), d)), body: tampered(d), status: 401, path: 'headers/svix-signature' },
    {
      name: 'ed25519 relabelled as an HMAC',
      headers: { ...ed25519Headers(id('t5'), c), 'webhook-signature': (ed25519Headers(id('t5'), c)['webhook-signature'] ?? '').replace('v1a,', 'v1,') },
      body: c,
      status: 401,
      path: 'headers/webhook-signature',
    },
    {
      name: 'official library, svix-*, stale timestamp',
      headers: renameToSvix(hmacHeaders(id('t6'), b, new Date(now.getTime() - 10 * 60_000))),
      body: b,
      status: 401,
      path: 'headers/svix-timestamp',
    },
    { name: 'another secret', headers: renameToSvix(hmacHeaders(id('t7'), b, now, stranger)), body: b, status: 401, path: 'headers/svix-signature' },
    { name: 'svix-* without svix-signature', headers: withoutHeader(renameToSvix(hmacHeaders(id('t8'), b)), 'svix-signature'), body: b, status: 401, path: 'headers/svix-signature' },
    { name: 'both header sets, different ids', headers: { ...hmacHeaders(id('c1'), a), ...renameToSvix(hmacHeaders(id('c2'), a)) }, body: a, status: 400, path: 'headers/svix-id' },
    { name: 'official library, svix-*, a body that is not the callback schema', headers: renameToSvix(hmacHeaders(id('x1'), '{"ivt":"maybe"}')), body: '{"ivt":"maybe"}', status: 400, path: 'body/ivt' },
  ];
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _removed, ...rest } = headers;
  return rest;
}

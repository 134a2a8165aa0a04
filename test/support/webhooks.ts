import { randomBytes } from 'node:crypto';
import type { HttpRequest } from '../../shared/http/types.ts';
import { computeSignature, tryDecodeSecret } from '../../shared/webhooks/signature.ts';
import { fixedNow } from './fixtures.ts';

/** A fresh Standard Webhooks secret. */
export const newWebhookSecret = (): string => 'whsec_' + randomBytes(24).toString('base64');

export interface SignOptions {
  secret: string;
  webhookId?: string;
  /** Seconds since the epoch; the fixtures' fixed clock by default. */
  timestamp?: number;
  headers?: Record<string, string>;
}

/** A `POST /<vendor>` request signed as a vendor would sign it. */
export function signedCallback(vendor: string, body: string | Buffer, options: SignOptions): HttpRequest {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const webhookId = options.webhookId ?? `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = options.timestamp ?? Math.floor(fixedNow.getTime() / 1000);
  const key = tryDecodeSecret(options.secret);
  if (!key) throw new Error(`not a whsec_ secret: ${options.secret}`);
  return {
    method: 'POST',
    path: `/${encodeURIComponent(vendor)}`,
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': computeSignature(key, webhookId, timestamp, bytes),
      ...options.headers,
    },
    body: bytes,
    clientIp: '127.0.0.1',
  };
}

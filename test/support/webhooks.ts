import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { HttpRequest } from '../../shared/platform/http/types.ts';
import { webhookHeaderSets, type WebhookHeaderSet } from '../../shared/domain/webhooks/header-sets.ts';
import { computeSignature, tryDecodeSecret } from '../../shared/domain/webhooks/signature.ts';
import { publicKeyPrefix } from '../../shared/domain/webhooks/verifying-key.ts';
import { fixedNow } from './fixtures.ts';

/** A fresh Standard Webhooks secret. */
export const newWebhookSecret = (): string => 'whsec_' + randomBytes(24).toString('base64');

/** A vendor's ed25519 key pair: the private key it signs with, and the `whpk_` text Earshot is configured with. */
export interface VendorKeyPair {
  privateKey: KeyObject;
  publicKey: string;
}

/** The `whpk_` text of an ed25519 public key: the raw 32 bytes in base64 (Standard Webhooks). */
export function toWhpk(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new Error('not an ed25519 public key');
  return publicKeyPrefix + Buffer.from(x, 'base64url').toString('base64');
}

/** A fresh ed25519 key pair, made by node:crypto as a vendor would make one. */
export function newVendorKeyPair(): VendorKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: toWhpk(publicKey) };
}

/** The ed25519 key pair of a 32-byte seed (RFC 8410 PKCS#8 prefix before the seed), for fixed test configs. */
export function vendorKeyPairFromSeed(seed: Buffer): VendorKeyPair {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: toWhpk(createPublicKey(privateKey)) };
}

/** The `v1a,<base64>` signature of a message: ed25519 over `<id>.<timestamp>.<body>`. */
export function computeEd25519Signature(privateKey: KeyObject, id: string, timestamp: string | number, body: Buffer): string {
  return `v1a,${sign(null, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]), privateKey).toString('base64')}`;
}

export interface SignOptions {
  /** A `whsec_` secret to sign with (v1), or an ed25519 private key (v1a). */
  secret: string | KeyObject;
  webhookId?: string;
  /** Seconds since the epoch; the fixtures' fixed clock by default. */
  timestamp?: number;
  /** The header names: `webhook-*` (default) or `svix-*`. */
  headerSet?: WebhookHeaderSet;
  headers?: Record<string, string>;
}

/** The signature of a message under a `whsec_` secret or an ed25519 private key. */
export function computeTestSignature(secret: string | KeyObject, id: string, timestamp: number, body: Buffer): string {
  if (typeof secret !== 'string') return computeEd25519Signature(secret, id, timestamp, body);
  const key = tryDecodeSecret(secret);
  if (!key) throw new Error('not a whsec_ secret');
  return computeSignature(key, id, timestamp, body);
}

/** A `POST /<vendor>` request signed as a vendor would sign it. */
export function signedCallback(vendor: string, body: string | Buffer, options: SignOptions): HttpRequest {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const webhookId = options.webhookId ?? `msg_${randomBytes(8).toString('hex')}`;
  const timestamp = options.timestamp ?? Math.floor(fixedNow.getTime() / 1000);
  const names = webhookHeaderSets[options.headerSet ?? 'webhook'];
  return {
    method: 'POST',
    path: `/${encodeURIComponent(vendor)}`,
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/json',
      [names.id]: webhookId,
      [names.timestamp]: String(timestamp),
      [names.signature]: computeTestSignature(options.secret, webhookId, timestamp, bytes),
      ...options.headers,
    },
    body: bytes,
    clientIp: '127.0.0.1',
  };
}

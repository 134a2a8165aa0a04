import { createPublicKey, type KeyObject } from 'node:crypto';
import { tryDecodeSecret } from './signature.ts';

/**
 * Standard Webhooks, asymmetric signatures: a public key is `whpk_` followed by the base64 of the
 * raw 32-byte ed25519 public key (RFC 8032), padded or not. Earshot only ever holds the public
 * half, so nothing it stores could sign a callback.
 */
export const publicKeyPrefix = 'whpk_';

const ed25519PublicKeyBytes = 32;

/**
 * A key that verifies a vendor's callbacks: a shared `whsec_` secret checks `v1` (HMAC-SHA256)
 * signatures, a `whpk_` public key checks `v1a` (ed25519) ones, and never the other kind.
 */
export type VerifyingKey = { kind: 'hmac'; key: Buffer } | { kind: 'ed25519'; key: KeyObject };

/** The signature version each kind of key verifies (`<version>,<base64>` in the signature header). */
export const signatureVersion: Record<VerifyingKey['kind'], 'v1' | 'v1a'> = { hmac: 'v1', ed25519: 'v1a' };

/** The bytes of canonical base64 (padded, no stray bits: the only spelling of those bytes); else undefined. */
export function tryDecodeCanonicalBase64(text: string): Buffer | undefined {
  // Node's decoder is lenient (ignores stray characters, padding bits and missing padding):
  // insisting on the one spelling keeps two different texts from naming the same bytes.
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 && bytes.toString('base64') === text ? bytes : undefined;
}

/** The ed25519 public key of a `whpk_` key; undefined when the text is not one. */
export function tryDecodePublicKey(text: string): KeyObject | undefined {
  if (!text.startsWith(publicKeyPrefix)) return undefined;
  const base64 = text.slice(publicKeyPrefix.length);
  // Padding is optional in a key (it is configuration, not something a sender could edit).
  const raw = tryDecodeCanonicalBase64(base64.length % 4 === 0 ? base64 : base64.padEnd(base64.length + 4 - (base64.length % 4), '='));
  if (raw?.length !== ed25519PublicKeyBytes) return undefined;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** A `whsec_` secret or a `whpk_` public key, ready to verify; undefined when the text is neither. */
export function tryDecodeVerifyingKey(text: string): VerifyingKey | undefined {
  const secret = tryDecodeSecret(text);
  if (secret) return { kind: 'hmac', key: secret };
  const publicKey = tryDecodePublicKey(text);
  return publicKey ? { kind: 'ed25519', key: publicKey } : undefined;
}

import { verify, type KeyObject } from 'node:crypto';
import { tryDecodeCanonicalBase64 } from './verifying-key.ts';

const ed25519SignatureBytes = 64;

/**
 * Whether the base64 of a `v1a,<base64>` entry is the ed25519 signature, under `publicKey`, of
 * `<id>.<timestamp>.<body>`: the same bytes a `v1` HMAC covers (Standard Webhooks). Only the one
 * canonical base64 spelling of a signature counts, so an edited header never verifies.
 */
export function isEd25519Signature(publicKey: KeyObject, id: string, timestamp: string, body: Buffer, base64: string): boolean {
  const signature = tryDecodeCanonicalBase64(base64);
  if (signature?.length !== ed25519SignatureBytes) return false;
  return verify(null, Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]), publicKey, signature);
}

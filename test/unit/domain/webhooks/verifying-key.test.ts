import { describe, expect, it } from 'vitest';
import { VendorConfig } from '../../../../shared/contracts/schemas/config.ts';
import { validatorFor } from '../../../../shared/contracts/schemas/validator.ts';
import { tryDecodeCanonicalBase64, tryDecodeVerifyingKey } from '../../../../shared/domain/webhooks/verifying-key.ts';
import { newVendorKeyPair, vendorKeyPairFromSeed } from '../../../support/webhooks.ts';

const validateVendor = validatorFor(VendorConfig);
const isAcceptedByConfig = (key: string) => validateVendor({ id: 'v1', secrets: [key] }).ok;

// RFC 8032 §7.1, test 1: the public key of the all-zero-derived secret key 9d61b19d...
const rfc8032PublicKey = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
const whpk = 'whpk_' + rfc8032PublicKey.toString('base64');

describe('tryDecodeVerifyingKey: whsec_ secrets and whpk_ public keys', () => {
  const decoded: Record<string, { key: string; kind: 'hmac' | 'ed25519' }> = {
    'the Standard Webhooks vector secret': { key: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', kind: 'hmac' },
    'the RFC 8032 test public key, padded': { key: whpk, kind: 'ed25519' },
    'the RFC 8032 test public key without its padding': { key: whpk.replace(/=$/, ''), kind: 'ed25519' },
    'a key pair made by node:crypto': { key: newVendorKeyPair().publicKey, kind: 'ed25519' },
  };
  for (const [name, { key, kind }] of Object.entries(decoded)) {
    it(`decodes ${name} as ${kind}, and the config accepts it`, () => {
      expect(tryDecodeVerifyingKey(key)?.kind).toBe(kind);
      expect(isAcceptedByConfig(key)).toBe(true);
    });
  }

  it('decodes the raw 32 bytes of a whpk_ key', () => {
    const key = tryDecodeVerifyingKey(whpk);
    expect(key?.kind === 'ed25519' && Buffer.from(key.key.export({ format: 'jwk' }).x ?? '', 'base64url')).toEqual(rfc8032PublicKey);
  });

  const b64 = rfc8032PublicKey.toString('base64');
  const refused: Record<string, string> = {
    'a key without a prefix': b64,
    'the prefix in upper case': 'WHPK_' + b64,
    'the prefix alone': 'whpk_',
    '31 bytes': 'whpk_' + rfc8032PublicKey.subarray(0, 31).toString('base64'),
    '33 bytes': 'whpk_' + Buffer.concat([rfc8032PublicKey, Buffer.from([0])]).toString('base64'),
    'a 64-byte private key in its place': 'whpk_' + Buffer.alloc(64, 3).toString('base64'),
    'padding bits set (not the one spelling of the key)': 'whpk_' + b64.slice(0, 42) + 'b=',
    'characters outside base64': 'whpk_' + b64.slice(0, 40) + '-_-=',
    'PEM text': 'whpk_-----BEGIN PUBLIC KEY-----',
    'base64url instead of base64': 'whpk_' + vendorKeyPairFromSeed(Buffer.alloc(32, 9)).publicKey.slice(5).replace(/\+/g, '-').replace(/\//g, '_'),
  };
  for (const [name, key] of Object.entries(refused)) {
    it(`refuses ${name}, and so does the config`, () => {
      expect(tryDecodeVerifyingKey(key)).toBeUndefined();
      expect(isAcceptedByConfig(key)).toBe(false);
    });
  }

  it('the base64url case above differs from the base64 key (the seed makes a + or /)', () => {
    const publicKey = vendorKeyPairFromSeed(Buffer.alloc(32, 9)).publicKey;
    expect(/[+/]/.test(publicKey)).toBe(true);
  });
});

describe('tryDecodeCanonicalBase64', () => {
  const cases: Record<string, Buffer | undefined> = {
    'AAAA': Buffer.from([0, 0, 0]),
    'AQ==': Buffer.from([1]),
    'AR==': undefined, // padding bits set
    'AQ': undefined, // padding left out
    'AQ=': undefined,
    'A Q==': undefined,
    '': undefined,
  };
  for (const [text, bytes] of Object.entries(cases)) {
    it(`${JSON.stringify(text)} -> ${bytes ? bytes.toString('hex') : 'undefined'}`, () => expect(tryDecodeCanonicalBase64(text)).toEqual(bytes));
  }
});

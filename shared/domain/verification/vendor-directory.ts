import type { EarshotConfig } from '../../contracts/schemas/config.ts';
import { tryDecodeVerifyingKey, type VerifyingKey } from '../webhooks/verifying-key.ts';
import { vendorAdapters } from './adapters/index.ts';
import type { VendorAdapter } from './adapters/vendor-adapter.ts';

/** A configured vendor, ready to verify: its decoded secrets and public keys, and the adapter of its format. */
export interface VerificationVendor {
  id: string;
  keys: VerifyingKey[];
  adapter: VendorAdapter;
}

/**
 * Vendors by id, with every key decoded once at start rather than per request. The config schema
 * only admits well-formed `whsec_` secrets and `whpk_` public keys, so one that does not decode is
 * a bug.
 */
export function computeVendorDirectory(vendors: EarshotConfig['vendors']): ReadonlyMap<string, VerificationVendor> {
  return new Map(
    vendors.map((vendor) => {
      const keys = vendor.secrets.map((secret, i) => {
        const key = tryDecodeVerifyingKey(secret);
        if (!key) throw new Error(`vendors ${vendor.id}: secret ${i} is neither a whsec_ secret nor a whpk_ public key`);
        return key;
      });
      return [vendor.id, { id: vendor.id, keys, adapter: vendorAdapters[vendor.format ?? 'canonical'] }];
    }),
  );
}

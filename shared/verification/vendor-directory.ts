import type { EarshotConfig } from '../schemas/config.ts';
import { tryDecodeSecret } from '../webhooks/signature.ts';
import { vendorAdapters } from './adapters/index.ts';
import type { VendorAdapter } from './adapters/vendor-adapter.ts';

/** A configured vendor, ready to verify: its decoded HMAC keys and the adapter of its format. */
export interface VerificationVendor {
  id: string;
  keys: Buffer[];
  adapter: VendorAdapter;
}

/**
 * Vendors by id, with every secret decoded once at start rather than per request. The config
 * schema only admits well-formed `whsec_` secrets, so a secret that does not decode is a bug.
 */
export function computeVendorDirectory(vendors: EarshotConfig['vendors']): ReadonlyMap<string, VerificationVendor> {
  return new Map(
    vendors.map((vendor) => {
      const keys = vendor.secrets.map((secret, i) => {
        const key = tryDecodeSecret(secret);
        if (!key) throw new Error(`vendors ${vendor.id}: secret ${i} is not a whsec_ secret`);
        return key;
      });
      return [vendor.id, { id: vendor.id, keys, adapter: vendorAdapters[vendor.format ?? 'canonical'] }];
    }),
  );
}

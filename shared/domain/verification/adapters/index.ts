import type { VendorFormat } from '../../../contracts/schemas/verification.ts';
import { acmeAdapter } from './acme.ts';
import { canonicalAdapter } from './canonical.ts';
import type { VendorAdapter } from './vendor-adapter.ts';

/** One adapter per vendor format; `satisfies` makes a format without an adapter a type error. */
export const vendorAdapters = {
  canonical: canonicalAdapter,
  acme: acmeAdapter,
} as const satisfies Record<VendorFormat, VendorAdapter>;

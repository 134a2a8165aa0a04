import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vendorKeyPairFromSeed } from './webhooks.ts';

/** The demo vendor's ed25519 key pair: its public key is configured beside the vendor's shared secret. */
export const fixedVendorKeyPair = vendorKeyPairFromSeed(Buffer.from('fixed-test-vendor-ed25519-seed!!'));

/**
 * A config with fixed keys and salts, for tests that compare runs: the demo config `earshot start`
 * writes draws fresh ones, and a study's salt decides which households get ghost ads. Half the
 * households are held out, so small simulations give the lift study conversions in both arms.
 */
export const fixedConfig = {
  platforms: [{ id: 'demo-platform', keys: ['pk_fixed_test_platform_key'] }],
  // The secret first: the simulation signs with the first whsec_ secret, and the fuzz also signs v1a.
  vendors: [{ id: 'demo-vendor', secrets: ['whsec_cmVwb3J0LXRlc3QtdmVuZG9yLXNlY3JldA==', fixedVendorKeyPair.publicKey] }],
  advertisers: [
    {
      id: 'demo-advertiser',
      keys: ['ak_fixed_test_advertiser_key'],
      campaigns: [
        { id: 'camp-mattress', spend: 1500 },
        { id: 'camp-meals', spend: 900 },
      ],
    },
  ],
  // Two studies of one advertiser at once, each over its own campaign.
  studies: [
    { id: 'demo-study', advertiser: 'demo-advertiser', holdout_share: 0.5, salt: 'salt_fixed_test_study', campaigns: ['camp-mattress'] },
    { id: 'demo-study-meals', advertiser: 'demo-advertiser', holdout_share: 0.5, salt: 'salt_fixed_test_study_meals', campaigns: ['camp-meals'] },
  ],
  privacy: { master_key: 'fixed-test-master-key-0123456789' },
};

/** Writes the fixed config into a folder and returns its path, for `--config`. */
export function writeFixedConfig(dir: string): string {
  const file = join(dir, 'fixed-config.json');
  writeFileSync(file, JSON.stringify(fixedConfig));
  return file;
}

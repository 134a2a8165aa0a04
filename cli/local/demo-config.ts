import { randomBytes } from 'node:crypto';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';

const token = (prefix: string, bytes = 18) => prefix + randomBytes(bytes).toString('base64url');

/** A working configuration with fresh random keys, for trying Earshot locally. */
export function createDemoConfig(): EarshotConfig {
  return {
    platforms: [{ id: 'demo-platform', keys: [token('pk_')] }],
    vendors: [{ id: 'demo-vendor', secrets: ['whsec_' + randomBytes(24).toString('base64')] }],
    advertisers: [
      {
        id: 'demo-advertiser',
        keys: [token('ak_')],
        lookback_days: 30,
        model: 'last_touch',
        campaigns: [
          { id: 'camp-mattress', spend: 1500 },
          { id: 'camp-meals', spend: 900 },
        ],
      },
    ],
    // Two studies of one advertiser at once, each over its own campaign.
    studies: [
      { id: 'demo-study', advertiser: 'demo-advertiser', holdout_share: 0.1, salt: token('salt_'), campaigns: ['camp-mattress'] },
      { id: 'demo-study-meals', advertiser: 'demo-advertiser', holdout_share: 0.1, salt: token('salt_'), campaigns: ['camp-meals'] },
    ],
    analysts: [{ id: 'demo-analyst', keys: [token('nk_')] }],
    counting: { window: 'calendar', keep_first_two_bytes: false },
    reporting: { discrepancy_threshold_pct: 5, cuped_pre_period_days: 28 },
    privacy: { master_key: randomBytes(32).toString('base64url') },
  };
}

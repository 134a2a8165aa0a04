import type { Static } from '@sinclair/typebox';
import type { TrafficConfig } from '../../contracts/schemas/config.ts';

/** The data-centre and volume rules' settings (config `traffic`, docs/methodology.md). */
export interface TrafficRules {
  /** Apps that fetch on their servers and relay to listeners: counted from hosting networks too. */
  datacenterAllowApps: ReadonlySet<string>;
  /** Counted downloads of one episode per household and UTC day before `household_volume`. */
  householdEpisodeMax: number;
  /** Distinct episodes per household and burst window before `address_burst`. */
  burstEpisodesMax: number;
  /** Burst window length, seconds, aligned to the epoch (so to UTC hours by default). */
  burstWindowS: number;
}

export const trafficDefaults = { household_episode_max: 20, burst_episodes_max: 50, burst_window_s: 3_600 } as const;

export function computeTrafficRules(config: Static<typeof TrafficConfig> | undefined): TrafficRules {
  return {
    datacenterAllowApps: new Set(config?.datacenter_allow_apps ?? []),
    householdEpisodeMax: config?.household_episode_max ?? trafficDefaults.household_episode_max,
    burstEpisodesMax: config?.burst_episodes_max ?? trafficDefaults.burst_episodes_max,
    burstWindowS: config?.burst_window_s ?? trafficDefaults.burst_window_s,
  };
}

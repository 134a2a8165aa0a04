import type { EnrichedBeacon } from '../../shared/contracts/schemas/beacon-message.ts';

let next = 0;

/** An enriched beacon (as `count` receives it) for a whole 1-hour episode file, with overrides. */
export function enrichedBeacon(overrides: Partial<EnrichedBeacon> = {}): EnrichedBeacon {
  return {
    event_id: `ev-${next++}`,
    type: 'download',
    ts: '2026-11-16T10:00:00Z',
    platform: 'p1',
    show_id: 'show-1',
    episode_id: 'ep-1',
    household_key: 'household-aaaaaaaaaaaaa',
    user_agent: 'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)',
    received_at: '2026-11-16T12:00:00Z',
    file_size: 60_000_000,
    duration_s: 3600,
    ...overrides,
  };
}

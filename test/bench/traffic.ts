import type { CountableRecord } from '../../shared/domain/counting/prepare-request.ts';

const agents = [
  'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)',
  'Spotify/8.9.74 iOS/17.6.1 (iPhone15,2)',
  'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)',
  'PocketCasts/1.0 (Pocket Casts - Android v7.70)',
  'Podcasts/1.0.0 (Apple Podcasts; watchOS)',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];

/**
 * Deterministic server-log traffic for benchmarks: `listeners` households over one day, each
 * downloading an hour-long episode in 1 to 3 range requests (most in one), a few bots and probes.
 * Built up front so the timed loop measures only the engine.
 */
export function generateTraffic(records: number, listeners: number): CountableRecord[] {
  const out: CountableRecord[] = [];
  const dayStart = Date.parse('2026-11-16T00:00:00Z');
  let seed = 42;
  const random = () => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
  let listener = 0;
  while (out.length < records) {
    const household = `hh${String(listener % listeners).padStart(20, '0')}`;
    const agent = agents[Math.floor(random() * random() * agents.length)] as string;
    const episode = `ep-${Math.floor(random() * 40)}`;
    const requests = random() < 0.6 ? 1 : random() < 0.7 ? 2 : 3;
    const ts = dayStart + Math.floor(random() * 86_000_000);
    for (let r = 0; r < requests && out.length < records; r++) {
      const from = r * 20_000_000;
      out.push({
        event_id: `ev-${out.length}`,
        type: 'download',
        ts: new Date(ts + r * 1000).toISOString(),
        platform: 'bench',
        episode_id: episode,
        household_key: household,
        user_agent: agent,
        status: 206,
        range: r === 0 && random() < 0.05 ? 'bytes=0-1' : `bytes=${from}-${from + 19_999_999}`,
        file_size: 60_000_000,
        duration_s: 3600,
      });
    }
    listener++;
  }
  return out;
}

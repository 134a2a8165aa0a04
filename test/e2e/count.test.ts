import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { earshotBin } from '../support/earshot-process.ts';

function count(args: string[], input: string) {
  const run = spawnSync(process.execPath, [earshotBin, 'count', ...args], { input, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const record = (ts: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'download', ts, show_id: 's', episode_id: 'e', ip: '203.0.113.9', user_agent: 'Overcast/3.0', file_size: 1000, ...extra });

// IAB v2.x §5.5.1: Mon 22:00, Tue 03:00, Tue 22:15, Wed 23:15 by one listener.
const iab = ['2026-11-16T22:00:00Z', '2026-11-17T03:00:00Z', '2026-11-17T22:15:00Z', '2026-11-18T23:15:00Z'].map((ts) => record(ts)).join('\n');

describe('earshot count', () => {
  for (const [window, downloads] of [['calendar', 3], ['rolling', 3], ['extending', 2]] as const) {
    it(`counts the IAB window example: ${window} ${downloads}`, () => {
      const run = count(['--window', window], iab);
      expect(run.code).toBe(0);
      const verdicts = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { counted: boolean; event_id: string });
      expect(verdicts.map((v) => v.event_id)).toEqual(['line-1', 'line-2', 'line-3', 'line-4']);
      expect(verdicts.filter((v) => v.counted)).toHaveLength(downloads);
    });
  }

  it('prints one verdict per record with its reason, delivered ads and delivered ghost (holdout) placements', () => {
    const ad = { ad_id: 'ad-1', campaign_id: 'c', creative_id: 'x', byte_start: 0, byte_end: 99 };
    const ghost = { ...ad, ad_id: 'ghost-1', ghost: true };
    const lines = [
      record('2026-11-16T10:00:00Z', { event_id: 'a', ads: [ad] }),
      record('2026-11-16T10:00:00Z', { event_id: 'b', method: 'HEAD' }),
      record('2026-11-16T10:00:00Z', { event_id: 'c', ads: [ghost], ip: '198.51.100.7' }),
    ];
    const run = count([], lines.join('\n'));
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { event_id: 'a', counted: true, reason: 'counted', ads_delivered: ['ad-1'], ghost_ads_delivered: [] },
      { event_id: 'b', counted: false, reason: 'not_get', ads_delivered: [], ghost_ads_delivered: [] },
      { event_id: 'c', counted: true, reason: 'counted', ads_delivered: [], ghost_ads_delivered: ['ghost-1'] },
    ]);
  });

  it('stops with exit code 2 and the line at an invalid record, after the verdicts before it', () => {
    const run = count([], `${record('2026-11-16T10:00:00Z')}\n{"type":"download"}\n${record('2026-11-16T11:00:00Z')}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^earshot count: line 2: .*\/ts is required/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { event_id: string }).event_id)).toEqual(['line-1']);
  });

  // Uniques from the addresses themselves: IPv4 whole, IPv6 by its /64 (IAB v2.x), per User-Agent.
  const agents = ['AppleCoreMedia/1.0', 'Spotify/8.8', 'Overcast/3.0', 'PocketCasts/7.0', 'Castro/2023', 'Podcast Addict/v2'];
  const uniques: Record<string, { requests: Array<{ ip: string; user_agent?: string }>; downloads: number }> = {
    'the IAB example: 10 requests by 6 user agents behind one IP': {
      requests: Array.from({ length: 10 }, (_, i) => ({ ip: '203.0.113.9', user_agent: agents[i % agents.length] as string })),
      downloads: 6,
    },
    'one IPv6 /64, several interface ids': { requests: [{ ip: '2001:db8:1:2::1' }, { ip: '2001:db8:1:2:aaaa::9' }, { ip: '2001:db8:1:2:ffff:ffff:ffff:ffff' }], downloads: 1 },
    'neighbouring IPv6 /64s': { requests: [{ ip: '2001:db8:1:2::1' }, { ip: '2001:db8:1:3::1' }], downloads: 2 },
    'neighbouring IPv4 addresses': { requests: [{ ip: '203.0.113.9' }, { ip: '203.0.113.10' }], downloads: 2 },
    'an IPv4 address and its IPv4-mapped IPv6 form': { requests: [{ ip: '203.0.113.9' }, { ip: '::ffff:203.0.113.9' }], downloads: 1 },
  };
  it('counts uniques per address and User-Agent', () => {
    // One run for every case (a process start is slow): each case is its own episode.
    const cases = Object.entries(uniques);
    const lines = cases.flatMap(([, { requests }], c) =>
      requests.map((r, i) => record(`2026-11-16T${String(8 + i).padStart(2, '0')}:00:00Z`, { ...r, episode_id: `e${c}`, event_id: `${c}-${i}` })),
    );
    const run = count([], lines.join('\n'));
    expect(run.code).toBe(0);
    const verdicts = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event_id: string; counted: boolean });
    const counted = cases.map(([name], c) => [name, verdicts.filter((v) => v.counted && v.event_id.startsWith(`${c}-`)).length]);
    expect(counted).toEqual(cases.map(([name, { downloads }]) => [name, downloads]));
  });

  it('refuses an unknown window mode', () => {
    const run = count(['--window', 'weekly'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--window must be one of calendar, rolling, extending');
  });
});

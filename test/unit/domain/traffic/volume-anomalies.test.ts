import { describe, expect, it } from 'vitest';
import { computeVerdict, type VerdictReason } from '../../../../shared/domain/counting/verdict.ts';
import { computeTrafficRules } from '../../../../shared/domain/traffic/traffic-rules.ts';
import { computeVolumeKeys, decideVolume, VolumeTallies, type VolumeRequest } from '../../../../shared/domain/traffic/volume-anomalies.ts';

const rules = computeTrafficRules({ household_episode_max: 3, burst_episodes_max: 4, burst_window_s: 3600 });
const at = Date.parse('2026-11-16T10:00:00Z') / 1000;
const request = (overrides: Partial<VolumeRequest> = {}): VolumeRequest => ({ platform: 'p1', household_key: 'h1', episode_id: 'ep-1', event_id: 'e', ts: at, ...overrides });
const counted = (id: string) => computeVerdict(id, 'counted', ['ad-1']);

/** The reasons of `n` counted requests, the i-th made by `make(i)`, through one tally set. */
function reasons(n: number, make: (i: number) => Partial<VolumeRequest>): VerdictReason[] {
  const tallies = new VolumeTallies(rules);
  return Array.from({ length: n }, (_, i) => tallies.screen(counted(`e${i}`), request({ event_id: `e${i}`, ...make(i) })).reason);
}

describe('household_volume: downloads of one episode by one household in one UTC day', () => {
  const cases: Record<string, [downloads: number, flagged: number]> = {
    'one below the threshold': [2, 0],
    'at the threshold': [3, 0],
    'one past it': [4, 1],
    'far past it': [10, 7],
  };
  for (const [name, [downloads, flagged]] of Object.entries(cases)) {
    it(`flags ${flagged} of ${downloads} (${name})`, () => {
      const got = reasons(downloads, () => ({}));
      expect(got.filter((r) => r === 'household_volume')).toHaveLength(flagged);
      expect(got.slice(0, Math.min(downloads, 3)).every((r) => r === 'counted')).toBe(true);
    });
  }
  it('starts again the next UTC day', () => expect(reasons(4, (i) => ({ ts: at + (i === 3 ? 86_400 : 0) }))).toEqual(['counted', 'counted', 'counted', 'counted']));
  it('keeps households apart', () => expect(reasons(4, (i) => ({ household_key: i === 3 ? 'h2' : 'h1' }))).toEqual(['counted', 'counted', 'counted', 'counted']));
});

describe('address_burst: distinct episodes one household downloads in one burst window', () => {
  const cases: Record<string, [episodes: number, flagged: number]> = {
    'one below the threshold': [3, 0],
    'at the threshold': [4, 0],
    'one past it': [5, 1],
    'far past it': [12, 8],
  };
  for (const [name, [episodes, flagged]] of Object.entries(cases)) {
    it(`flags ${flagged} of ${episodes} (${name})`, () => {
      expect(reasons(episodes, (i) => ({ episode_id: `ep-${i}`, ts: at + i })).filter((r) => r === 'address_burst')).toHaveLength(flagged);
    });
  }
  it('lets another listener of an admitted episode through', () => {
    const got = reasons(6, (i) => ({ episode_id: `ep-${i < 4 ? i : 0}` }));
    expect(got).toEqual(['counted', 'counted', 'counted', 'counted', 'counted', 'counted']);
  });
  it('starts again in the next window', () => expect(reasons(5, (i) => ({ episode_id: `ep-${i}`, ts: at + (i === 4 ? 3600 : 0) }))).not.toContain('address_burst'));
});

describe('decideVolume', () => {
  const keys = computeVolumeKeys(request({ event_id: 'again' }), rules);
  it('admits a request already in the tallies again (a redelivery), even when they are full', () => {
    const full = [1, 2, keys.eventHash];
    const decision = decideVolume(counted('again'), keys, full, [keys.episodeHash, 7, 8, 9], rules);
    expect(decision.verdict.reason).toBe('counted');
    expect(decision.episodeDay).toBe(full);
  });
  it('leaves the tallies as they were when it flags', () => {
    const decision = decideVolume(counted('new'), computeVolumeKeys(request({ event_id: 'new' }), rules), [1, 2, 3], [], rules);
    expect(decision).toEqual({ verdict: { event_id: 'new', counted: false, reason: 'household_volume', ads_delivered: [], ghost_ads_delivered: [] }, episodeDay: [1, 2, 3], burst: [] });
  });
  it('checks only counted requests', () => {
    const verdict = computeVerdict('x', 'already_counted');
    expect(decideVolume(verdict, keys, [1, 2, 3], [1, 2, 3, 4], rules).verdict).toBe(verdict);
  });
  it('checks the episode rule before the burst rule', () => {
    expect(decideVolume(counted('n'), computeVolumeKeys(request({ event_id: 'n', episode_id: 'ep-9' }), rules), [1, 2, 3], [1, 2, 3, 4], rules).verdict.reason).toBe('household_volume');
  });
});

describe('VolumeTallies', () => {
  it('forgets tallies whose windows ended', () => {
    const tallies = new VolumeTallies(rules);
    for (let i = 0; i < 3; i++) tallies.screen(counted(`e${i}`), request({ event_id: `e${i}` }));
    tallies.forgetBefore(at + 3 * 86_400);
    expect(tallies.screen(counted('e9'), request({ event_id: 'e9' })).reason).toBe('counted');
  });
});

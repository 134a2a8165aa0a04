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

  it('prints one verdict per record with its reason and delivered ads', () => {
    const ad = { ad_id: 'ad-1', campaign_id: 'c', creative_id: 'x', byte_start: 0, byte_end: 99 };
    const run = count([], [record('2026-11-16T10:00:00Z', { event_id: 'a', ads: [ad] }), record('2026-11-16T10:00:00Z', { event_id: 'b', method: 'HEAD' })].join('\n'));
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { event_id: 'a', counted: true, reason: 'counted', ads_delivered: ['ad-1'] },
      { event_id: 'b', counted: false, reason: 'not_get', ads_delivered: [] },
    ]);
  });

  it('stops with exit code 2 and the line at an invalid record', () => {
    const run = count([], `${record('2026-11-16T10:00:00Z')}\n{"type":"download"}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^earshot count: line 2: .*\/ts is required/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unknown window mode', () => {
    const run = count(['--window', 'weekly'], '');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--window must be one of calendar, rolling, extending');
  });
});

import { describe, expect, it } from 'vitest';
import { CountingEngine } from '../../../../../shared/domain/counting/engine/counting-engine.ts';
import type { CountableRecord, CountingRules } from '../../../../../shared/domain/counting/prepare-request.ts';
import type { WindowMode } from '../../../../../shared/domain/counting/windows.ts';

const judge = (ua: string) => ({ bot: /bot/i.test(ua) || ua === '', appleWatch: ua.startsWith('atc/') });
let nextId = 0;

function download(overrides: Partial<CountableRecord> = {}): CountableRecord {
  return {
    event_id: `ev-${nextId++}`,
    type: 'download',
    ts: '2026-11-16T10:00:00Z',
    platform: 'p1',
    episode_id: 'ep-1',
    household_key: 'household-aaaaaaaaaaaaa',
    user_agent: 'Overcast/3.0',
    file_size: 60_000_000,
    duration_s: 3600,
    ...overrides,
  };
}

function engine(rules: Partial<CountingRules> = {}) {
  return new CountingEngine({ window: 'calendar', keepFirstTwoBytes: false, ...rules }, judge);
}

const countOf = (e: CountingEngine, records: CountableRecord[]) => records.map((r) => e.count(r)).filter((v) => v.counted).length;

describe('IAB v2.x §5.5.1 window example', () => {
  // One listener, Mon 22:00, Tue 03:00, Tue 22:15, Wed 23:15 (UTC).
  const times = ['2026-11-16T22:00:00Z', '2026-11-17T03:00:00Z', '2026-11-17T22:15:00Z', '2026-11-18T23:15:00Z'];
  const expected: Record<WindowMode, number> = { calendar: 3, rolling: 3, extending: 2 };
  for (const [window, downloads] of Object.entries(expected) as Array<[WindowMode, number]>) {
    it(`${window}: ${downloads} downloads`, () => expect(countOf(engine({ window }), times.map((ts) => download({ ts })))).toBe(downloads));
  }
});

describe('IAB uniques example', () => {
  it('10 requests by 6 user agents behind one IP in a day are 6 downloads', () => {
    const agents = ['AppleCoreMedia/1.0', 'Spotify/8.8', 'Overcast/3.0', 'PocketCasts/7.0', 'Castro/2023', 'Podcast Addict/v2'];
    const requests = Array.from({ length: 10 }, (_, i) => download({ user_agent: agents[i % 6] as string, ts: `2026-11-16T${String(8 + i).padStart(2, '0')}:00:00Z` }));
    expect(countOf(engine(), requests)).toBe(6);
  });
});

describe('exclusions keep a reason', () => {
  const cases: Array<[string, Partial<CountableRecord>, string, Partial<CountingRules>?]> = [
    ['HEAD', { method: 'HEAD' }, 'not_get'],
    ['304', { status: 304 }, 'not_modified'],
    ['404', { status: 404 }, 'http_error'],
    ['a redirect', { status: 302 }, 'http_error'],
    ['bytes=0-1', { status: 206, range: 'bytes=0-1' }, 'first_two_bytes_probe'],
    ['a bot', { user_agent: 'Googlebot/2.1' }, 'bot'],
    ['an empty agent', { user_agent: '' }, 'bot'],
    ['Apple Watch', { user_agent: 'atc/1.0 watchOS/10.0' }, 'apple_watch'],
    ['an impression pixel', { type: 'impression' }, 'client_event'],
    ['zero bytes', { bytes_sent: 0 }, 'no_bytes_served'],
    ['a partial download', { status: 206, range: 'bytes=0-99999' }, 'below_minimum'],
    ['bytes=0-1 kept, still below a minute', { status: 206, range: 'bytes=0-1' }, 'below_minimum', { keepFirstTwoBytes: true }],
    ['a whole file', {}, 'counted'],
  ];
  for (const [name, overrides, reason, rules] of cases) {
    it(`${name} -> ${reason}`, () => {
      const verdict = engine(rules).count(download(overrides));
      expect(verdict).toMatchObject({ reason, counted: reason === 'counted' });
    });
  }
});

describe('listeners apart', () => {
  it('counts two agents whose 30-bit hashes are equal as two listeners', () => {
    const e = engine();
    const agents = ['AppleCoreMedia/1.0.0.6bj66b (iPhone; U; CPU OS 16_1 like Mac OS X)', 'AppleCoreMedia/1.0.0.9mgm40 (iPhone; U; CPU OS 14_1 like Mac OS X)'];
    expect(agents.map((user_agent) => e.count(download({ user_agent })).reason)).toEqual(['counted', 'counted']);
    expect(e.openWindows).toBe(2);
  });
});

describe('byte ranges merge per listener and episode', () => {
  it('counts the request whose bytes first complete the minute from byte 0', () => {
    const e = engine();
    const ranged = (range: string) => download({ status: 206, range });
    expect(e.count(ranged('bytes=500000-999999')).reason).toBe('below_minimum');
    expect(e.count(ranged('bytes=0-499999')).reason).toBe('counted');
    expect(e.count(ranged('bytes=1000000-1999999')).reason).toBe('already_counted');
  });
  it('does not merge across episodes or agents', () => {
    const e = engine();
    expect(e.count(download({ status: 206, range: 'bytes=0-499999' })).reason).toBe('below_minimum');
    expect(e.count(download({ status: 206, range: 'bytes=500000-999999', episode_id: 'ep-2' })).reason).toBe('below_minimum');
    expect(e.count(download({ status: 206, range: 'bytes=500000-999999', user_agent: 'Other/1' })).reason).toBe('below_minimum');
  });
  it('uses the bitrate when size and duration are unknown', () => {
    const e = engine();
    const r = (range: string) => download({ status: 206, range, file_size: undefined, duration_s: undefined, bitrate_kbps: 64 });
    expect(e.count(r('bytes=0-479998')).reason).toBe('below_minimum');
    expect(e.count(r('bytes=479999-479999')).reason).toBe('counted');
  });
});

describe('inserted ads', () => {
  const ads = [
    { ad_id: 'pre', campaign_id: 'c', creative_id: 'x', byte_start: 0, byte_end: 99_999 },
    { ad_id: 'mid', campaign_id: 'c', creative_id: 'x', byte_start: 30_000_000, byte_end: 30_099_999 },
    { ad_id: 'ghost', campaign_id: 'c', creative_id: 'x', byte_start: 100_000, byte_end: 199_999, ghost: true },
  ];
  it('delivers each ad once per counted download, when all of its bytes were served', () => {
    const e = engine();
    const r = (range: string) => download({ status: 206, range, ads });
    expect(e.count(r('bytes=0-150000'))).toMatchObject({ reason: 'below_minimum', ads_delivered: [], ghost_ads_delivered: [] });
    expect(e.count(r('bytes=150000-1000000'))).toMatchObject({ reason: 'counted', ads_delivered: ['pre'], ghost_ads_delivered: ['ghost'] });
    expect(e.count(r('bytes=30000000-30050000'))).toMatchObject({ ads_delivered: [] });
    expect(e.count(r('bytes=30050000-30100000'))).toMatchObject({ reason: 'already_counted', ads_delivered: ['mid'] });
    expect(e.count(r('bytes=0-60000000'))).toMatchObject({ ads_delivered: [], ghost_ads_delivered: [] });
  });
  it('delivers nothing outside a counted download', () => {
    expect(engine().count(download({ user_agent: 'bot', ads }))).toMatchObject({ reason: 'bot', ads_delivered: [] });
  });
});

describe('byte ranges merge per arrangement (served file)', () => {
  const placed = (id: string, start: number) => ({ ad_id: id, campaign_id: 'c', creative_id: 'x', byte_start: start, byte_end: start + 99_999 });
  // Two files of one episode, same size, other ads in the same places.
  const fileA = [placed('a-pre', 0), placed('a-mid', 30_000_000), placed('a-post', 59_900_000)];
  const fileB = [placed('b-pre', 0), placed('b-mid', 30_000_000), placed('b-post', 59_900_000)];
  type Step = [range: string | undefined, ads: typeof fileA | undefined, fileSize: number, reason: string, delivered: string[]];
  const cases: Array<[string, Step[]]> = [
    ['a second file is credited only the ads its own bytes carried', [
      [undefined, fileA, 60_000_000, 'counted', ['a-pre', 'a-mid', 'a-post']],
      ['bytes=0-1999999', fileB, 60_000_000, 'already_counted', ['b-pre']],
    ]],
    ['the same two in the other order deliver the same ads', [
      ['bytes=0-1999999', fileB, 60_000_000, 'counted', ['b-pre']],
      [undefined, fileA, 60_000_000, 'already_counted', ['a-pre', 'a-mid', 'a-post']],
    ]],
    ['halves of two files are not a download', [
      ['bytes=0-499999', fileA, 60_000_000, 'below_minimum', []],
      ['bytes=500000-1999999', fileB, 60_000_000, 'below_minimum', []],
      ['bytes=500000-1999999', fileA, 60_000_000, 'counted', ['a-pre']],
    ]],
    ['an ad needs its own file to make a download, not only the window', [
      [undefined, fileA, 60_000_000, 'counted', ['a-pre', 'a-mid', 'a-post']],
      ['bytes=0-99999', fileB, 60_000_000, 'already_counted', []],
      ['bytes=100000-1099999', fileB, 60_000_000, 'already_counted', ['b-pre']],
    ]],
    ['files without ads of two sizes do not merge', [
      ['bytes=0-499999', undefined, 60_000_000, 'below_minimum', []],
      ['bytes=500000-1999999', undefined, 50_000_000, 'below_minimum', []],
      ['bytes=500000-999999', undefined, 60_000_000, 'counted', []],
    ]],
    ['an ad in two files is delivered once', [
      [undefined, [placed('same', 0)], 60_000_000, 'counted', ['same']],
      [undefined, [placed('same', 0), placed('b-mid', 30_000_000)], 60_000_000, 'already_counted', ['b-mid']],
    ]],
  ];
  for (const [name, steps] of cases) {
    it(name, () => {
      const e = engine();
      const got = steps.map(([range, ads, fileSize]) => {
        const v = e.count(download({ file_size: fileSize, ...(range ? { status: 206, range } : {}), ...(ads ? { ads } : {}) }));
        return [v.reason, v.ads_delivered];
      });
      expect(got).toEqual(steps.map(([, , , reason, delivered]) => [reason, delivered]));
    });
  }
});

describe('idempotence', () => {
  it('gives a repeated event the verdict it got the first time', () => {
    const e = engine();
    // One served file (the same ads): its two ranges merge into a download.
    const ads = [{ ad_id: 'a', campaign_id: 'c', creative_id: 'x', byte_start: 0, byte_end: 10 }];
    const first = download({ status: 206, range: 'bytes=0-499999', ads });
    const second = download({ status: 206, range: 'bytes=500000-1999999', ads });
    const third = download();
    const verdicts = [first, second, third].map((r) => e.count(r));
    expect(verdicts.map((v) => v.reason)).toEqual(['below_minimum', 'counted', 'already_counted']);
    expect([first, second, third, second].map((r) => e.count(r))).toEqual([...verdicts, verdicts[1]]);
  });
  it('remembers the events of a replaced rolling window', () => {
    const e = engine({ window: 'rolling' });
    const monday = download({ ts: '2026-11-16T10:00:00Z' });
    const tuesday = download({ ts: '2026-11-17T11:00:00Z' });
    expect([monday, tuesday, monday].map((r) => e.count(r).reason)).toEqual(['counted', 'counted', 'counted']);
  });
  it('calls a record older than its rolling window late', () => {
    const e = engine({ window: 'rolling' });
    e.count(download({ ts: '2026-11-17T11:00:00Z' }));
    expect(e.count(download({ ts: '2026-11-17T09:00:00Z' })).reason).toBe('late_event');
  });
});

describe('month boundary', () => {
  it("finds a rolling window opened last month under last month's key", () => {
    const e = engine({ window: 'rolling' });
    expect(e.count(download({ ts: '2026-11-30T23:00:00Z', household_key: 'nov-key-aaaaaaaaaaaaaa' })).reason).toBe('counted');
    const december = download({ ts: '2026-12-01T01:00:00Z', household_key: 'dec-key-aaaaaaaaaaaaaa', household_key_prev: 'nov-key-aaaaaaaaaaaaaa' });
    expect(e.count(december).reason).toBe('already_counted');
    // Carried over to December's key; November's entry stays for late November records.
    expect(e.openWindows).toBe(2);
    expect(e.count(download({ ts: '2026-11-30T23:30:00Z', household_key: 'nov-key-aaaaaaaaaaaaaa' })).reason).toBe('already_counted');
  });
  it("carries an extending window past the month's first day, when last month's key no longer comes along", () => {
    const e = engine({ window: 'extending' });
    const [nov, dec] = ['nov-key-aaaaaaaaaaaaaa', 'dec-key-aaaaaaaaaaaaaa'];
    const requests = [
      download({ ts: '2026-11-30T23:00:00Z', household_key: nov }),
      download({ ts: '2026-12-01T20:00:00Z', household_key: dec, household_key_prev: nov }),
      download({ ts: '2026-12-02T19:00:00Z', household_key: dec }),
      download({ ts: '2026-12-03T18:00:00Z', household_key: dec }),
    ];
    expect(requests.map((r) => e.count(r).reason)).toEqual(['counted', 'already_counted', 'already_counted', 'already_counted']);
    // A redelivered first-day request replays from the carried window.
    expect(e.count(requests[1] as CountableRecord).reason).toBe('already_counted');
  });
});

describe('memory', () => {
  it('forgets windows that ended', () => {
    const e = engine();
    e.count(download({ ts: '2026-11-16T10:00:00Z' }));
    e.count(download({ ts: '2026-11-17T10:00:00Z' }));
    expect(e.forgetBefore(Date.parse('2026-11-17T12:00:00Z') / 1000)).toBe(1);
    expect(e.openWindows).toBe(1);
  });
});


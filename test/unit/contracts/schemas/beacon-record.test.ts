import { describe, expect, it } from 'vitest';
import { checkBeaconRecord } from '../../../../shared/domain/intake/check-beacon-record.ts';

const valid = {
  type: 'download',
  ts: '2026-11-20T10:00:00Z',
  show_id: 'show-1',
  episode_id: 'ep-1',
  ip: '203.0.113.9',
  user_agent: 'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)',
};

describe('checkBeaconRecord', () => {
  const accepted: Record<string, object> = {
    'the minimal record': valid,
    'an IPv6 address': { ...valid, ip: '2001:db8::1' },
    'a full server log': {
      ...valid,
      event_id: 'abc-1',
      platform: 'p1',
      method: 'GET',
      status: 206,
      range: 'bytes=0-1023',
      bytes_sent: 1024,
      file_size: 5_000_000,
      duration_s: 1800.5,
      id3_size: 2048,
      bitrate_kbps: 128,
      country: 'DE',
      referer: 'https://example.com/',
      ads: [{ ad_id: 'a1', campaign_id: 'c1', creative_id: 'cr1', byte_start: 0, byte_end: 0, position: 'pre', ghost: true }],
    },
    'a playback pixel': { ...valid, type: 'playback', playback: { event: 'firstQuartile', ad_id: 'a1' } },
    'a time zone offset': { ...valid, ts: '2026-11-20T10:00:00.123+02:00' },
  };
  for (const [name, record] of Object.entries(accepted)) {
    it(`accepts ${name}`, () => expect(checkBeaconRecord(record, 'p1').ok).toBe(true));
  }

  const refused: Record<string, { record: unknown; path: string; rule: string }> = {
    'a missing episode': { record: { ...valid, episode_id: undefined }, path: '/episode_id', rule: 'required' },
    'an unknown type': { record: { ...valid, type: 'listen' }, path: '/type', rule: 'enum' },
    'a time without zone': { record: { ...valid, ts: '2026-11-20T10:00:00' }, path: '/ts', rule: 'format' },
    'a bad ip': { record: { ...valid, ip: '999.1.1.1' }, path: '/ip', rule: 'format' },
    // Both pass a plain RFC 3339 pattern check, but no Date (nor BigQuery, nor DuckDB's appender) reads them.
    'an hour-only offset': { record: { ...valid, ts: '2026-11-20T10:00:00+05' }, path: '/ts', rule: 'format' },
    'a leap second': { record: { ...valid, ts: '2026-12-31T23:59:60Z' }, path: '/ts', rule: 'format' },
    'a day the month lacks': { record: { ...valid, ts: '2026-02-30T10:00:00Z' }, path: '/ts', rule: 'format' },
    'an unknown field': { record: { ...valid, bytes_send: 10 }, path: '/bytes_send', rule: 'additionalProperties' },
    'negative bytes': { record: { ...valid, bytes_sent: -1 }, path: '/bytes_sent', rule: 'minimum' },
    // Over 2^53 - 1 a count is no longer exact, and a warehouse INT64 column refuses 1e308.
    'bytes beyond an INT64': { record: { ...valid, bytes_sent: 1e308 }, path: '/bytes_sent', rule: 'maximum' },
    'a file size beyond 2^53 - 1': { record: { ...valid, file_size: 2 ** 53 }, path: '/file_size', rule: 'maximum' },
    'an ad offset beyond 2^53 - 1': {
      record: { ...valid, ads: [{ ad_id: 'a', campaign_id: 'c', creative_id: 'cr', byte_start: 0, byte_end: 2 ** 60 }] },
      path: '/ads/0/byte_end',
      rule: 'maximum',
    },
    'a zero duration': { record: { ...valid, duration_s: 0 }, path: '/duration_s', rule: 'exclusiveMinimum' },
    'an ad ending before it starts': {
      record: { ...valid, ads: [{ ad_id: 'a', campaign_id: 'c', creative_id: 'cr', byte_start: 10, byte_end: 9 }] },
      path: '/ads/0/byte_end',
      rule: 'byteOrder',
    },
    'a playback record without its event': { record: { ...valid, type: 'playback' }, path: '/playback', rule: 'required' },
    "another platform's record": { record: { ...valid, platform: 'p2' }, path: '/platform', rule: 'callerPlatform' },
    'a lowercase country': { record: { ...valid, country: 'de' }, path: '/country', rule: 'pattern' },
    'an array': { record: [valid], path: '/', rule: 'type' },
    'null': { record: null, path: '/', rule: 'type' },
  };
  for (const [name, { record, path, rule }] of Object.entries(refused)) {
    it(`refuses ${name} at ${path} (${rule})`, () => {
      const checked = checkBeaconRecord(record, 'p1');
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.errors).toContainEqual(expect.objectContaining({ path, rule }));
    });
  }
});

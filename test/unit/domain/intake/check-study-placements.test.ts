import { describe, expect, it } from 'vitest';
import { checkBeaconRecord } from '../../../../shared/domain/intake/check-beacon-record.ts';
import { checkStudyPlacements } from '../../../../shared/domain/intake/check-study-placements.ts';

const studies = new Map([
  ['spring', { campaigns: ['c-spring'] }],
  ['open', {}],
]);
const ad = (fields: Record<string, unknown>) => ({ ad_id: 'a1', campaign_id: 'c-spring', creative_id: 'cr', byte_start: 0, byte_end: 10, ...fields });

describe('study placements at intake', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['an ad outside any study', {}, []],
    ['a ghost of a study over its campaign', { ghost: true, study_id: 'spring' }, []],
    ['a placement of a study that lists no campaigns', { campaign_id: 'c-any', study_id: 'open' }, []],
    ['an unknown study', { study_id: 'sprnig' }, ['/ads/0/study_id knownStudy']],
    ['a campaign the study does not cover', { campaign_id: 'c-autumn', study_id: 'spring' }, ['/ads/0/study_id studyCampaign']],
  ];
  for (const [name, fields, expected] of cases) {
    it(`${expected.length ? 'refuses' : 'accepts'} ${name}`, () => {
      expect(checkStudyPlacements([ad(fields)], studies).map((e) => `${e.path} ${e.rule}`)).toEqual(expected);
    });
  }

  it('is part of the record check when the studies are given', () => {
    const record = { type: 'download', ts: '2026-11-20T12:00:00Z', show_id: 's', episode_id: 'e', ip: '203.0.113.9', user_agent: 'x', ads: [ad({ study_id: 'nope' })] };
    expect(checkBeaconRecord(record, 'p', undefined, studies).ok).toBe(false);
    expect(checkBeaconRecord(record, 'p').ok).toBe(true);
  });
});

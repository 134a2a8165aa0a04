import { describe, expect, it } from 'vitest';
import { computeAttribution } from '../../../../shared/domain/attribution/attribute-conversion.ts';
import { computeAttributionRules, type AttributionModel } from '../../../../shared/domain/attribution/attribution-rules.ts';
import type { Exposure } from '../../../../shared/domain/attribution/exposure.ts';
import { computeCredits } from '../../../../shared/domain/attribution/models.ts';

const day = 86_400;
const conversionS = Date.parse('2026-11-30T12:00:00Z') / 1000;
const conversion = { ms: conversionS * 1000, uaHash: 111 };

let nextEvent = 1;
function exposure(daysBefore: number, overrides: Partial<Exposure> = {}): Exposure {
  return { ts: conversionS - Math.round(daysBefore * day), campaign_id: 'camp-1', creative_id: 'cr-1', ad_id: `ad-${nextEvent}`, advertiser_id: 'adv', ua: 111, ghost: false, event: nextEvent++, ...overrides };
}

function rules(overrides: { model?: AttributionModel; lookback_days?: number; half_life_days?: number; shared_household_agents?: number; campaigns?: Array<{ id: string }> } = {}) {
  return computeAttributionRules({ id: 'adv', keys: [], lookback_days: 30, model: 'last_touch', ...overrides });
}

const creditsOf = (result: ReturnType<typeof computeAttribution>) => result.credits.map((c) => [c.exposure.ad_id, c.credit]);

describe('attribution models', () => {
  const three = [exposure(14, { ad_id: 'old' }), exposure(7, { ad_id: 'mid' }), exposure(0, { ad_id: 'new' })];
  // Listed out of order on purpose: attribution orders exposures by time itself.
  const shuffled = [three[1], three[2], three[0]] as Exposure[];
  const cases: Array<[string, ReturnType<typeof rules>, Array<[string, number]>]> = [
    ['last_touch (the default) credits the latest exposure in full', rules(), [['new', 1]]],
    ['first_touch credits the earliest in full', rules({ model: 'first_touch' }), [['old', 1]]],
    ['linear splits equally: thirds', rules({ model: 'linear' }), [['old', 1 / 3], ['mid', 1 / 3], ['new', 1 / 3]]],
    // Weights 2^(-age/7d): 1/4, 1/2, 1 for ages 14, 7, 0 days, normalised by 7/4.
    ['time_decay halves the weight every half-life (7 days)', rules({ model: 'time_decay', half_life_days: 7 }), [['old', 1 / 7], ['mid', 2 / 7], ['new', 4 / 7]]],
    // Half-life 14 days: weights 1/2, 2^(-1/2), 1.
    ['time_decay with a 14-day half-life', rules({ model: 'time_decay', half_life_days: 14 }), [['old', 0.5 / (1.5 + Math.SQRT1_2)], ['mid', Math.SQRT1_2 / (1.5 + Math.SQRT1_2)], ['new', 1 / (1.5 + Math.SQRT1_2)]]],
  ];
  for (const [name, ruleSet, expected] of cases) {
    it(name, () => {
      const result = computeAttribution(conversion, shuffled, ruleSet);
      expect(result.status).toBe('attributed');
      const credits = creditsOf(result);
      expect(credits.map(([ad]) => ad)).toEqual(expected.map(([ad]) => ad));
      credits.forEach(([, credit], i) => expect(credit).toBeCloseTo(expected[i]?.[1] as number, 14));
      expect(result.credits.reduce((sum, c) => sum + c.credit, 0)).toBeCloseTo(1, 14);
    });
  }

  it('time_decay never underflows: exposures 90 days apart with a 0.01-day half-life', () => {
    const weights = computeCredits('time_decay', [exposure(90), exposure(0)], 0.01);
    expect(weights).toEqual([0, 1]);
  });

  it('breaks ties in time by event, the same way every time', () => {
    const a = exposure(1, { event: 5, ad_id: 'a' });
    const b = exposure(1, { event: 4, ad_id: 'b' });
    expect(creditsOf(computeAttribution(conversion, [a, b], rules()))).toEqual([['a', 1]]);
    expect(creditsOf(computeAttribution(conversion, [b, a], rules()))).toEqual([['a', 1]]);
  });
});

describe('which exposures count', () => {
  const cases: Array<[string, Exposure[], ReturnType<typeof rules>, { status: string; credited: string[] }]> = [
    ['an exposure exactly at the lookback counts', [exposure(30, { ad_id: 'edge' })], rules(), { status: 'attributed', credited: ['edge'] }],
    ['one second past the lookback does not', [exposure(30, { ts: conversionS - 30 * day - 1 })], rules(), { status: 'not_exposed', credited: [] }],
    ['the lookback is the advertiser\'s (7 days)', [exposure(8), exposure(6.9, { ad_id: 'in' })], rules({ lookback_days: 7, model: 'first_touch' }), { status: 'attributed', credited: ['in'] }],
    ['an exposure at the second of the conversion counts', [exposure(0, { ad_id: 'same-second' })], rules(), { status: 'attributed', credited: ['same-second'] }],
    ['an exposure one second after the conversion never counts', [exposure(2, { ad_id: 'before' }), exposure(0, { ts: conversionS + 1, ad_id: 'after' })], rules(), { status: 'attributed', credited: ['before'] }],
    ['only exposures after the conversion: not exposed', [exposure(0, { ts: conversionS + 3600 })], rules(), { status: 'not_exposed', credited: [] }],
    ['another advertiser\'s ads never count', [exposure(1, { advertiser_id: 'other' })], rules(), { status: 'not_exposed', credited: [] }],
    ['an ad without advertiser id counts by a configured campaign', [exposure(1, { advertiser_id: undefined, campaign_id: 'camp-9', ad_id: 'by-campaign' })], rules({ campaigns: [{ id: 'camp-9' }] }), { status: 'attributed', credited: ['by-campaign'] }],
    ['an ad without advertiser id and an unknown campaign does not', [exposure(1, { advertiser_id: undefined, campaign_id: 'camp-9' })], rules(), { status: 'not_exposed', credited: [] }],
    ['ghost (holdout) deliveries are never credited', [exposure(1, { ghost: true })], rules(), { status: 'not_exposed', credited: [] }],
    ['no exposures at all', [], rules(), { status: 'not_exposed', credited: [] }],
  ];
  for (const [name, exposures, ruleSet, expected] of cases) {
    it(name, () => {
      const result = computeAttribution(conversion, exposures, ruleSet);
      expect({ status: result.status, credited: result.credits.map((c) => c.exposure.ad_id) }).toEqual(expected);
    });
  }

  it('counts the real and ghost exposures of the lookback for the conversion row', () => {
    const result = computeAttribution(conversion, [exposure(1), exposure(2), exposure(3, { ghost: true }), exposure(40), exposure(1, { advertiser_id: 'other' })], rules());
    expect({ exposures: result.exposures, ghost: result.ghostExposures }).toEqual({ exposures: 2, ghost: 1 });
  });
});

describe('cross-device', () => {
  it('flags a credited exposure heard on another agent than the converting one', () => {
    const result = computeAttribution(conversion, [exposure(2, { ua: 111, ad_id: 'same' }), exposure(1, { ua: 222, ad_id: 'other' })], rules({ model: 'linear' }));
    expect(result.credits.map((c) => [c.exposure.ad_id, c.crossDevice])).toEqual([
      ['same', false],
      ['other', true],
    ]);
  });
});

describe('shared households', () => {
  // Four agents on one day: three exposed ones plus the converting one on the conversion day.
  const busyDay = [exposure(0.1, { ua: 1 }), exposure(0.1, { ua: 2 }), exposure(0.1, { ua: 3 })];
  it('are excluded when one day shows more agents than the threshold', () => {
    const result = computeAttribution(conversion, busyDay, rules({ shared_household_agents: 3 }));
    expect({ status: result.status, agents: result.busiestDayAgents, credits: result.credits }).toEqual({ status: 'shared_household', agents: 4, credits: [] });
  });
  it('are kept at exactly the threshold', () => {
    const result = computeAttribution(conversion, busyDay, rules({ shared_household_agents: 4 }));
    expect(result.status).toBe('attributed');
  });
  it('count agents per UTC day, not over the whole lookback', () => {
    const spread = [1, 2, 3, 4, 5].map((d) => exposure(d, { ua: d }));
    const result = computeAttribution(conversion, spread, rules({ shared_household_agents: 2 }));
    expect({ status: result.status, agents: result.busiestDayAgents }).toEqual({ status: 'attributed', agents: 1 });
  });
  it('ignore days outside the lookback', () => {
    const longAgo = [1, 2, 3, 4].map((ua) => exposure(45, { ua }));
    const result = computeAttribution(conversion, [...longAgo, exposure(1)], rules({ shared_household_agents: 2 }));
    expect(result.status).toBe('attributed');
  });
  it('default to a threshold of 10 agents', () => {
    const eleven = Array.from({ length: 11 }, (_, ua) => exposure(0.1, { ua: 1000 + ua }));
    expect(computeAttribution(conversion, eleven, rules()).status).toBe('shared_household');
    expect(computeAttribution(conversion, eleven.slice(0, 9), rules()).status).toBe('attributed');
  });
});

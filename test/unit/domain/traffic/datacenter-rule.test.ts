import { describe, expect, it } from 'vitest';
import { computeVerdict, type VerdictReason } from '../../../../shared/domain/counting/verdict.ts';
import { screenDatacenter } from '../../../../shared/domain/traffic/datacenter-rule.ts';
import { computeTrafficRules } from '../../../../shared/domain/traffic/traffic-rules.ts';

const rules = computeTrafficRules({ datacenter_allow_apps: ['Relay FM'] });
const counted = computeVerdict('e1', 'counted', ['ad-1']);

describe('screenDatacenter (MRC GIVT: known data-centre traffic)', () => {
  const cases: Record<string, [reason: VerdictReason, datacenter: string | undefined, app: string | null, expected: VerdictReason]> = {
    'a counted request from a hosting network': ['counted', 'Hetzner', 'Overcast', 'datacenter'],
    'a repeat from a hosting network': ['already_counted', 'Hetzner', 'Overcast', 'datacenter'],
    'a partial request from a hosting network': ['below_minimum', 'Hetzner', null, 'datacenter'],
    'a late record from a hosting network': ['late_event', 'Hetzner', null, 'datacenter'],
    'a counted request from home': ['counted', undefined, 'Overcast', 'counted'],
    'an allow-listed app relaying from its servers': ['counted', 'Amazon Web Services', 'Relay FM', 'counted'],
    'a bot in a data centre (the User-Agent rule comes first)': ['bot', 'Hetzner', 'Googlebot', 'bot'],
    'a HEAD from a data centre (the request rules come first)': ['not_get', 'Hetzner', null, 'not_get'],
    'a duplicate from a data centre': ['duplicate_event', 'Hetzner', null, 'duplicate_event'],
  };
  for (const [name, [reason, datacenter, app, expected]] of Object.entries(cases)) {
    it(`gives ${name} ${expected}`, () => expect(screenDatacenter(computeVerdict('e1', reason), datacenter, app, rules).reason).toBe(expected));
  }
  it('delivers no ads to data-centre traffic', () => {
    const screened = screenDatacenter(counted, 'Hetzner', 'Overcast', rules);
    expect(screened).toEqual({ event_id: 'e1', counted: false, reason: 'datacenter', ads_delivered: [], ghost_ads_delivered: [] });
  });
  it('has an empty allow-list by default', () => expect(screenDatacenter(counted, 'AWS', 'Relay FM', computeTrafficRules(undefined)).reason).toBe('datacenter'));
});

import { describe, expect, it } from 'vitest';
import type { IpLookup, NetworkFacts } from '../../../../shared/domain/geo/network-facts.ts';
import { toEnrichedBeacon } from '../../../../shared/domain/intake/enrich-beacon.ts';
import { HouseholdKeyer } from '../../../../shared/domain/privacy/household-key.ts';
import type { BeaconRecord } from '../../../../shared/contracts/schemas/beacon-record.ts';

const keyer = new HouseholdKeyer('k'.repeat(32)).forBatch();
const record = (overrides: Partial<BeaconRecord> = {}): BeaconRecord => ({
  type: 'download',
  ts: '2026-11-16T10:00:00Z',
  show_id: 's1',
  episode_id: 'e1',
  ip: '198.51.100.7',
  user_agent: 'Overcast/3.0',
  ...overrides,
});
const lookupOf = (facts: NetworkFacts): IpLookup & { asked: string[] } => {
  const asked: string[] = [];
  return { version: 'test-db@1', asked, lookup: (ip) => (asked.push(ip), facts) };
};
const enrich = (r: BeaconRecord, facts: NetworkFacts) => toEnrichedBeacon(r, 'p1', '2026-11-16T10:00:01Z', keyer, lookupOf(facts));

describe('toEnrichedBeacon: geography and network before hashing', () => {
  const us = { country: 'US', region: 'California', metro: '807', asn: 7922 };
  const cases: Record<string, [BeaconRecord, NetworkFacts, Partial<Record<'country' | 'region' | 'metro' | 'asn' | 'datacenter', unknown>>]> = {
    'the database geography': [record(), us, { country: 'US', region: 'California', metro: '807', asn: 7922, datacenter: undefined }],
    "the platform's country over the database's, without the database's region": [record({ country: 'CA' }), us, { country: 'CA', region: undefined, metro: undefined, asn: 7922 }],
    "the platform's country when it agrees, with the region": [record({ country: 'US' }), us, { country: 'US', region: 'California', metro: '807' }],
    'a hosting network': [record(), { country: 'DE', asn: 24940, datacenter: 'Hetzner' }, { country: 'DE', datacenter: 'Hetzner', asn: 24940 }],
    'an address the database does not know': [record(), {}, { country: undefined, region: undefined, asn: undefined, datacenter: undefined }],
  };
  for (const [name, [r, facts, expected]] of Object.entries(cases)) {
    it(`keeps ${name}`, () => {
      const beacon = enrich(r, facts);
      expect(Object.fromEntries(Object.keys(expected).map((k) => [k, beacon[k as keyof typeof beacon]]))).toEqual(expected);
    });
  }
  it('looks the raw address up, then never carries it', () => {
    const lookup = lookupOf(us);
    const beacon = toEnrichedBeacon(record(), 'p1', '2026-11-16T10:00:01Z', keyer, lookup);
    expect(lookup.asked).toEqual(['198.51.100.7']);
    expect(JSON.stringify(beacon)).not.toContain('198.51.100.7');
  });
  it('records the database version with every beacon', () => expect(enrich(record(), {}).geo_db).toBe('test-db@1'));
});

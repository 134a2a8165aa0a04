import { describe, expect, it } from 'vitest';
import { HouseholdKeyer } from '../../../../shared/domain/privacy/household-key.ts';

const keyer = new HouseholdKeyer('a-master-key-of-enough-length-0123456789');
const ua = 'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)';

describe('listener keys', () => {
  const base = keyer.tryListenerKey('203.0.113.9', ua, '2026-11');

  it('are the same for the same address, agent and month', () => expect(keyer.tryListenerKey('203.0.113.9', ua, '2026-11')).toBe(base));

  it('are the same for another address of the same IPv6 /64 (the household)', () =>
    expect(keyer.tryListenerKey('2001:db8:1:2::1', ua, '2026-11')).toBe(keyer.tryListenerKey('2001:db8:1:2:aaaa::9', ua, '2026-11')));

  const different: Record<string, [string, string, string]> = {
    'another agent behind the same address': ['203.0.113.9', 'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)', '2026-11'],
    'another address': ['203.0.113.10', ua, '2026-11'],
    'the next month (keys rotate)': ['203.0.113.9', ua, '2026-12'],
  };
  for (const [name, args] of Object.entries(different)) it(`differ for ${name}`, () => expect(keyer.tryListenerKey(...args)).not.toBe(base));

  it('differ from the household key and carry no part of the address', () => {
    expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(base).not.toBe(keyer.tryHouseholdKeys('203.0.113.9', ['2026-11'])?.[0]);
    expect(base).not.toContain('203');
  });

  it('are undefined for text that is not an address', () => expect(keyer.tryListenerKey('not-an-ip', ua, '2026-11')).toBeUndefined());

  it('are what a batch keyer gives, which remembers household keys for its batch only', () => {
    const batch = keyer.forBatch();
    expect(batch.tryListenerKey('203.0.113.9', ua, '2026-11')).toBe(base);
    expect(batch.tryListenerKey('203.0.113.9', ua, '2026-11')).toBe(base);
    expect(batch.tryListenerKey('203.0.113.9', 'Overcast/3.0', '2026-11')).toBe(keyer.tryListenerKey('203.0.113.9', 'Overcast/3.0', '2026-11'));
    expect(batch.tryHouseholdKeys('203.0.113.9', ['2026-11', '2026-10'])).toEqual(keyer.tryHouseholdKeys('203.0.113.9', ['2026-11', '2026-10']));
    expect(batch.tryHouseholdKeys('203.0.113.9', ['2026-11'])).toEqual(keyer.tryHouseholdKeys('203.0.113.9', ['2026-11']));
  });
});

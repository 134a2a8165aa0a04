import { describe, expect, it } from 'vitest';
import { tryTruncateIp } from '../../../../shared/domain/privacy/ip.ts';
import { HouseholdKeyer, computeKeyMonth } from '../../../../shared/domain/privacy/household-key.ts';

describe('tryTruncateIp', () => {
  const cases: Record<string, string> = {
    '203.0.113.9': 'cb007109',
    '::ffff:203.0.113.9': 'cb007109',
    '2001:db8:85a3:8d3:1319:8a2e:370:7348': '20010db885a308d3',
    '2001:db8:85a3:8d3::1': '20010db885a308d3',
    '2001:db8::': '20010db800000000',
    '::1': '0000000000000000',
    'fe80::1%eth0': 'fe80000000000000',
    '2001:db8:1:2::10.0.0.1': '20010db800010002',
  };
  for (const [ip, hex] of Object.entries(cases)) {
    it(`keeps the household part of ${ip}`, () => expect(tryTruncateIp(ip)?.toString('hex')).toBe(hex));
  }
  for (const bad of ['', 'localhost', '1.2.3', '256.1.1.1', '2001:db8::g']) {
    it(`refuses ${JSON.stringify(bad)}`, () => expect(tryTruncateIp(bad)).toBeUndefined());
  }
});

describe('HouseholdKeyer', () => {
  const keyer = new HouseholdKeyer('k'.repeat(32));
  const nov = new Date('2026-11-30T23:59:59Z');
  const dec = new Date('2026-12-01T00:00:00Z');

  it('gives one key to every address of an IPv6 /64', () => {
    expect(keyer.tryHouseholdKey('2001:db8:1:2::1', nov)).toBe(keyer.tryHouseholdKey('2001:db8:1:2:ffff::9', nov));
    expect(keyer.tryHouseholdKey('2001:db8:1:2::1', nov)).not.toBe(keyer.tryHouseholdKey('2001:db8:1:3::1', nov));
  });
  it('rotates the key with the calendar month (UTC)', () => {
    expect(computeKeyMonth(nov)).toBe('2026-11');
    expect(computeKeyMonth(dec)).toBe('2026-12');
    expect(keyer.tryHouseholdKey('203.0.113.9', nov)).not.toBe(keyer.tryHouseholdKey('203.0.113.9', dec));
    expect(keyer.tryHouseholdKey('203.0.113.9', nov)).toBe(keyer.tryHouseholdKey('203.0.113.9', new Date('2026-11-01T00:00:00Z')));
  });
  it('depends on the master key and never contains the address', () => {
    const key = keyer.tryHouseholdKey('203.0.113.9', nov) ?? '';
    expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(key).not.toContain('203');
    expect(new HouseholdKeyer('j'.repeat(32)).tryHouseholdKey('203.0.113.9', nov)).not.toBe(key);
  });
  it('answers undefined for text that is not an address', () => expect(keyer.tryHouseholdKey('nope', nov)).toBeUndefined());
});

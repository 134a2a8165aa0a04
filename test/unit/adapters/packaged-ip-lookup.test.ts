import { describe, expect, it } from 'vitest';
import { createPackagedIpLookup, geoPackages } from '../../../shared/adapters/data/packaged-ip-lookup.ts';

// The shipped databases, as intake uses them. Addresses from the networks named, in several
// countries; a database update that moves one of them fails here first.
const lookup = createPackagedIpLookup();

const residential: Record<string, [ip: string, country: string]> = {
  'Comcast, US': ['73.15.1.1', 'US'],
  'BT, GB': ['86.130.4.20', 'GB'],
  'Deutsche Telekom, DE': ['79.200.1.1', 'DE'],
  'Rogers, CA': ['99.230.5.5', 'CA'],
  'Telstra, AU': ['101.170.3.3', 'AU'],
  'NTT OCN, JP': ['114.150.2.2', 'JP'],
  'Telefonica, ES': ['83.40.1.1', 'ES'],
  'Deutsche Telekom IPv6, DE': ['2003:e0:1234:5678::1', 'DE'],
  'Comcast IPv6, US': ['2601:0:1:2::1', 'US'],
  'IPv4-mapped IPv6 (BT, GB)': ['::ffff:86.130.4.20', 'GB'],
};
const hosting: Record<string, [ip: string, provider: string]> = {
  'AWS us-east': ['52.95.110.1', 'Amazon Web Services'],
  'AWS IPv6': ['2600:1f18::1', 'Amazon Web Services'],
  'Google Cloud': ['34.120.1.1', 'Google Cloud'],
  'Azure': ['20.50.1.1', 'Microsoft Azure'],
  'DigitalOcean': ['167.99.241.66', 'DigitalOcean'],
  'Hetzner': ['5.9.1.1', 'Hetzner'],
  'Hetzner IPv6': ['2a01:4f8:1c1c::1', 'Hetzner'],
  'OVHcloud': ['51.38.1.1', 'OVHcloud'],
  'Linode': ['139.162.1.1', 'Akamai Linode'],
  'Vultr': ['45.77.1.1', 'Vultr'],
};

describe('the packaged IP lookup', () => {
  for (const [name, [ip, country]] of Object.entries(residential)) {
    it(`places ${name} in ${country}, not in a data centre`, () => {
      const facts = lookup.lookup(ip);
      expect(facts.country).toBe(country);
      expect(facts.datacenter).toBeUndefined();
      expect(facts.asn).toBeGreaterThan(0);
    });
  }
  for (const [name, [ip, provider]] of Object.entries(hosting)) {
    it(`takes ${name} for data-centre traffic`, () => expect(lookup.lookup(ip).datacenter).toBe(provider));
  }
  it('gives a region where the database has one', () => expect(lookup.lookup('73.15.1.1').region).toBe('California'));
  it('knows nothing of documentation and private addresses', () => {
    expect(lookup.lookup('203.0.113.9')).toEqual({});
    expect(lookup.lookup('10.1.2.3')).toEqual({});
    expect(lookup.lookup('not an address')).toEqual({});
  });
  it('remembers facts by household key, never by address', () => {
    const first = lookup.lookup('73.15.1.1', 'household-key-a');
    expect(lookup.lookup('73.15.1.2', 'household-key-a')).toBe(first);
    expect(lookup.lookup('5.9.1.1', 'household-key-b').datacenter).toBe('Hetzner');
    expect(Object.isFrozen(first)).toBe(true);
  });
  it('names the package versions it read, for each row', () => {
    expect(lookup.version).toMatch(new RegExp(`^${geoPackages.city}@\\d+\\.\\d+\\.\\d+ ${geoPackages.asn}@\\d+\\.\\d+\\.\\d+$`));
  });
});

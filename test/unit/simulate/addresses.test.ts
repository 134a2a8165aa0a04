import { describe, expect, it } from 'vitest';
import { computeV4Address, computeV6Address, datacenterV4, residentialV4, residentialV6 } from '../../../cli/simulate/addresses.ts';
import { createPackagedIpLookup } from '../../../shared/adapters/data/packaged-ip-lookup.ts';

// The simulated audience must look, to the shipped databases, like what it plays.
const lookup = createPackagedIpLookup();
const samples = (prefixes: typeof residentialV4, index: number) => Array.from({ length: 40 }, (_, i) => computeV4Address(prefixes, index, i * 104_729 + 7));

describe('simulated addresses', () => {
  residentialV4.forEach((_, index) => {
    it(`residential IPv4 prefix ${index} is a network of people with a country`, () => {
      for (const ip of samples(residentialV4, index)) {
        const facts = lookup.lookup(ip);
        expect(facts.datacenter, ip).toBeUndefined();
        expect(facts.country, ip).toMatch(/^[A-Z]{2}$/);
      }
    });
  });
  residentialV6.forEach((_, index) => {
    it(`residential IPv6 prefix ${index} is a network of people with a country`, () => {
      for (let i = index; i < 200; i += residentialV6.length) {
        const facts = lookup.lookup(computeV6Address(i, 77));
        expect(facts.datacenter).toBeUndefined();
        expect(facts.country).toMatch(/^[A-Z]{2}$/);
      }
    });
  });
  datacenterV4.forEach((_, index) => {
    it(`data-centre prefix ${index} is a hosting network`, () => {
      for (const ip of samples(datacenterV4, index)) expect(lookup.lookup(ip).datacenter, ip).toBeDefined();
    });
  });
  it('never gives a prefix its first or last address', () => {
    expect(computeV4Address([residentialV4[0]!], 0, 0)).toBe('73.0.0.1');
    expect(computeV4Address([residentialV4[0]!], 0, 2 ** 24 - 3)).toBe('73.255.255.254');
  });
});

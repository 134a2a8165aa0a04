import { describe, expect, it } from 'vitest';
import { RawIpScanner } from '../support/raw-ip-scan.ts';

const scanner = new RawIpScanner(['203.0.113.9', '2001:db8:0:5::1a2']);

describe('RawIpScanner (the privacy checks depend on it finding every form)', () => {
  const found: Record<string, string> = {
    'an IPv4 address': '{"ip":"203.0.113.9"}',
    'its /24 network': 'net 203.0.113.0/24',
    'its first three octets': 'prefix 203.0.113.',
    'an IPv4-mapped IPv6 address': '::ffff:203.0.113.9',
    'the IPv6 address as sent': 'from 2001:db8:0:5::1a2 at',
    'the IPv6 address expanded, upper case': '2001:0DB8:0000:0005:0000:0000:0000:01A2',
    'another address in the /64': '2001:db8:0:5:ffff::1',
    'the /64 prefix': 'household 2001:db8:0:5::/64',
    'the /64 prefix as four groups': '"prefix":"2001:db8:0:5"',
  };
  for (const [name, text] of Object.entries(found)) it(`finds ${name}`, () => expect(scanner.find(text)).not.toEqual([]));

  const clean: Record<string, string> = {
    'another IPv4 network': '203.0.114.9',
    'a longer number around the address': '1203.0.113.95',
    'a version string': 'Chrome/128.0.0.0 Safari/537.36',
    'a timestamp': '2026-11-20T10:00:00.000Z',
    'another IPv6 /64': '2001:db8:0:6::1a2',
    'a household key': 'eVkaoeTPBe-oi3MSRvjncM',
  };
  for (const [name, text] of Object.entries(clean)) it(`ignores ${name}`, () => expect(scanner.find(text)).toEqual([]));
});

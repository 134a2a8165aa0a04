/**
 * Where the simulated audience connects from: prefixes of large residential ISPs in several
 * countries, and of the big clouds for the servers that pose as listeners. Each prefix was
 * checked against the shipped geo and ASN databases (test/unit/simulate/addresses.test.ts keeps
 * them right as the databases are updated).
 */
interface V4Prefix {
  base: number;
  bits: number;
}

const v4 = (text: string, bits: number): V4Prefix => ({ base: text.split('.').reduce((n, part) => n * 256 + Number(part), 0), bits });
const toText = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

export const residentialV4: readonly V4Prefix[] = [
  v4('73.0.0.0', 8), // Comcast, US
  v4('24.160.0.0', 12), // Charter, US
  v4('86.128.0.0', 10), // BT, GB
  v4('82.0.0.0', 14), // Virgin Media, GB
  v4('79.192.0.0', 10), // Deutsche Telekom, DE
  v4('99.224.0.0', 11), // Rogers, CA
  v4('101.160.0.0', 11), // Telstra, AU
  v4('114.144.0.0', 12), // NTT OCN, JP
  v4('83.32.0.0', 11), // Telefonica, ES
  v4('77.160.0.0', 12), // KPN, NL
];

/** The first 32 bits of residential IPv6 prefixes: Comcast US, Deutsche Telekom DE, BT GB, Orange FR, Telstra AU. */
export const residentialV6: readonly string[] = ['2601:0', '2003:e0', '2a00:23c0', '2a01:cb00', '2001:8003'];

export const datacenterV4: readonly V4Prefix[] = [
  v4('52.0.0.0', 11), // Amazon Web Services
  v4('34.64.0.0', 10), // Google Cloud
  v4('20.0.0.0', 11), // Microsoft Azure
  v4('167.99.0.0', 16), // DigitalOcean
  v4('5.9.0.0', 16), // Hetzner
  v4('51.38.0.0', 16), // OVHcloud
];

/** An address in `prefixes[pick % n]`, the host part from `host` (any non-negative integer). */
export function computeV4Address(prefixes: readonly V4Prefix[], pick: number, host: number): string {
  const prefix = prefixes[pick % prefixes.length] as V4Prefix;
  const size = 2 ** (32 - prefix.bits);
  // Neither the network's first address nor its last.
  return toText(prefix.base + 1 + (host % (size - 2)));
}

/** The IPv6 address of household `i` (its own /64) in one of the residential prefixes. */
export function computeV6Address(i: number, interfaceId: number): string {
  return `${residentialV6[i % residentialV6.length]}:${(i >> 8).toString(16)}:${(i & 255).toString(16)}::${interfaceId.toString(16)}`;
}

import { isIP } from 'node:net';

/**
 * Why a feed may not be fetched from an address, or undefined when it may: loopback, private,
 * link-local (the metadata server), unspecified, carrier-grade NAT, multicast and reserved
 * ranges, and the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) are checked as
 * the IPv4 address inside them. Input is an address as resolved, not a host name.
 */
export function tryRefuseAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return refuseV4(address.split('.').map(Number));
  if (family === 6) return refuseV6(address);
  return `${JSON.stringify(address)} is not an IP address`;
}

function refuseV4([a = 0, b = 0]: number[]): string | undefined {
  if (a === 0) return 'unspecified address (0.0.0.0/8)';
  if (a === 127) return 'loopback address';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private address';
  if (a === 169 && b === 254) return 'link-local address (the metadata server)';
  if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT address';
  if (a === 192 && b === 0) return 'reserved address (192.0.0.0/16)';
  if (a === 198 && (b === 18 || b === 19)) return 'benchmarking address';
  if (a >= 224) return 'multicast or reserved address';
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (with `::` expanded and a trailing IPv4 part read). */
function groupsOf(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = text.slice(lastColon + 1).split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const [head = '', rest] = text.split('::');
  if (rest === undefined) return parse(head);
  const left = parse(head);
  const right = parse(rest);
  return [...left, ...new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0), ...right];
}

function refuseV6(address: string): string | undefined {
  const g = groupsOf(address);
  const v4 = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  if (g.every((x) => x === 0)) return 'unspecified address (::)';
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback address';
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64)
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) return refuseV4(v4(g6, g7)) ?? (g5 === 0 ? 'IPv4-compatible address' : undefined);
  if (g0 === 0x64 && g1 === 0xff9b) return refuseV4(v4(g6, g7));
  if (g0 === 0x2002) return refuseV4(v4(g1, g2)); // 6to4 carries the IPv4 address in groups 1-2
  if ((g0 & 0xfe00) === 0xfc00) return 'private address (unique local fc00::/7)';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local address';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local address';
  if ((g0 & 0xff00) === 0xff00) return 'multicast address';
  if (g0 === 0x2001 && g1 === 0xdb8) return 'documentation address';
  return undefined;
}

import { isIPv4, isIPv6 } from 'node:net';

/**
 * The part of an address that identifies a household: the whole IPv4 address, or the /64 prefix of
 * an IPv6 address (IAB v2.x: IPv6 addresses are truncated to /64 before counting uniques).
 * IPv4-mapped IPv6 addresses are treated as IPv4. Returns undefined for text that is not an address.
 */
export function tryTruncateIp(ip: string): Buffer | undefined {
  if (isIPv4(ip)) return ipv4Bytes(ip);
  if (!isIPv6(ip)) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return ipv4Bytes(mapped[1]);
  return ipv6Prefix64(ip);
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

function ipv6Prefix64(ip: string): Buffer {
  const withoutZone = ip.split('%')[0] ?? ip;
  const [head = '', tail] = withoutZone.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::a.b.c.d) fills two groups; it only matters for the low 64 bits.
  const tailCount = tailGroups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailCount).fill('0')];
  const out = Buffer.alloc(8);
  for (let i = 0; i < 4; i++) out.writeUInt16BE(Number.parseInt(groups[i] ?? '0', 16), i * 2);
  return out;
}

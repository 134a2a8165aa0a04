/**
 * Autonomous systems by address range for one address family, from the ip-location-db ASN lists
 * (CSV rows `start,end,asn,organisation`, sorted by start, ranges disjoint). IPv4 ranges by the
 * whole address; IPv6 ranges by their /64 prefix, the part of an address Earshot ever looks at
 * (routed prefixes are no longer than /64 in practice, so no range is cut).
 */
export class AsnRanges<T extends Uint32Array | BigUint64Array> {
  readonly #ranges: ParsedRanges<T>;

  constructor(ranges: ParsedRanges<T>) {
    this.#ranges = ranges;
  }

  get size(): number {
    return this.#ranges.start.length;
  }

  /** The ASN announcing the address (a 32-bit IPv4 address or a /64 prefix), or undefined. */
  find(key: T extends Uint32Array ? number : bigint): number | undefined {
    const { start, end, asn } = this.#ranges as unknown as { start: ArrayLike<number | bigint>; end: ArrayLike<number | bigint>; asn: Uint32Array };
    let lo = 0;
    let hi = start.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((start[mid] as number | bigint) <= key) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && key <= (end[hi] as number | bigint) ? asn[hi] : undefined;
  }
}

export interface ParsedRanges<T extends Uint32Array | BigUint64Array> {
  start: T;
  end: T;
  asn: Uint32Array;
}

/**
 * The organisation field of a row: the rest of the line, maybe quoted (RFC 4180). Copied out of
 * the file's text: a slice would keep the whole text (tens of megabytes) alive for as long as
 * the names are kept.
 */
function organisationOf(text: string, from: number, to: number): string {
  const field = text.slice(from, to);
  const org = field.startsWith('"') ? field.slice(1, field.endsWith('"') ? -1 : undefined).replaceAll('""', '"') : field;
  return Buffer.from(org, 'utf8').toString('utf8');
}

const zero = 48;

/**
 * Reads a numeric ASN CSV (`asn-ipv4-num.csv` or `asn-ipv6-num.csv`: addresses as decimal
 * integers), the fastest form to parse: the whole IPv4 list takes a few hundred milliseconds, once
 * per instance. IPv6 addresses are kept to their /64 prefix. Rows that do not parse are skipped;
 * overlapping rows (none in the published lists) keep the first.
 */
export function parseAsnCsv<F extends 4 | 6>(
  text: string,
  family: F,
  organisations: Map<number, string>,
): ParsedRanges<F extends 4 ? Uint32Array : BigUint64Array> {
  const starts: Array<number | bigint> = [];
  const ends: Array<number | bigint> = [];
  const asns: number[] = [];
  const address = (from: number, to: number): number | bigint => (family === 4 ? Number(text.slice(from, to)) : BigInt(text.slice(from, to)) >> 64n);
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const end = to > from && text.charCodeAt(to - 1) === 13 ? to - 1 : to;
    const a = text.indexOf(',', from);
    const b = a < 0 || a >= end ? -1 : text.indexOf(',', a + 1);
    const c = b < 0 || b >= end ? -1 : text.indexOf(',', b + 1);
    if (c > 0 && c < end) {
      let asn = 0;
      for (let i = b + 1; i < c; i++) asn = asn * 10 + text.charCodeAt(i) - zero;
      const first = address(from, a);
      const last = address(a + 1, b);
      const previous = ends.length ? (ends[ends.length - 1] as number | bigint) : -1;
      if (Number.isSafeInteger(asn) && first <= last && first > previous) {
        starts.push(first);
        ends.push(last);
        asns.push(asn);
        if (!organisations.has(asn)) organisations.set(asn, organisationOf(text, c + 1, end));
      }
    }
    from = to + 1;
  }
  const column = (values: Array<number | bigint>) => (family === 4 ? Uint32Array.from(values as number[]) : BigUint64Array.from(values as bigint[]));
  return {
    start: column(starts),
    end: column(ends),
    asn: Uint32Array.from(asns),
  } as ParsedRanges<F extends 4 ? Uint32Array : BigUint64Array>;
}

import type { ParsedRanges } from './asn-table.ts';

/** Both families' ranges and the organisation names, as the CSV parse or the binary form gives them. */
export interface AsnTables {
  v4: ParsedRanges<Uint32Array>;
  v6: ParsedRanges<BigUint64Array>;
  organisations: OrganisationNames;
}

/** An ASN's organisation, by number. */
export interface OrganisationNames {
  get(asn: number): string | undefined;
}

/**
 * The binary form: `EASN`, a byte-order mark, the JSON header's length and the header (which
 * package and version the ranges came from, and each column's length), then the columns, each
 * at a multiple of 8 bytes so typed arrays view them in place: IPv4 starts, ends, ASNs; IPv6
 * /64 starts, ends, ASNs; the ASNs that have a name (ascending), the end offset of each name and
 * the names' UTF-8. Columns are in the byte order of the machine that wrote them; the mark tells
 * a reader of the other order to refuse the file.
 */
const magic = 0x4e534145; // "EASN" read as a little-endian u32
const byteOrderMark = 0x01020304;
const preambleBytes = 12;

interface Header {
  source: string;
  headerBytes: number;
  v4: number;
  v6: number;
  named: number;
  nameBytes: number;
}

const align = (n: number) => Math.ceil(n / 8) * 8;

/** The binary form of `tables`, stamped with `source` (`package@version`). */
export function computeAsnBinary(tables: { v4: ParsedRanges<Uint32Array>; v6: ParsedRanges<BigUint64Array>; organisations: ReadonlyMap<number, string> }, source: string): Uint8Array {
  const named = Uint32Array.from([...tables.organisations.keys()].sort((a, b) => a - b));
  const encoded = [...named].map((asn) => Buffer.from(tables.organisations.get(asn) ?? '', 'utf8'));
  const nameEnds = new Uint32Array(named.length);
  encoded.reduce((offset, name, i) => (nameEnds[i] = offset + name.length), 0);
  const names = Buffer.concat(encoded);
  const header: Omit<Header, 'headerBytes'> = { source, v4: tables.v4.start.length, v6: tables.v6.start.length, named: named.length, nameBytes: names.length };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const columns: ArrayBufferView[] = [tables.v4.start, tables.v4.end, tables.v4.asn, tables.v6.start, tables.v6.end, tables.v6.asn, named, nameEnds, names];
  let size = align(preambleBytes + headerBytes.length);
  for (const column of columns) size = align(size + column.byteLength);
  const out = new Uint8Array(size);
  new Uint32Array(out.buffer, 0, 3).set([magic, byteOrderMark, headerBytes.length]);
  out.set(headerBytes, preambleBytes);
  let offset = align(preambleBytes + headerBytes.length);
  for (const column of columns) {
    out.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), offset);
    offset = align(offset + column.byteLength);
  }
  return out;
}

/** The `package@version` a binary form was made from, or undefined if `bytes` is not one this machine can read. */
export function tryReadAsnBinarySource(bytes: Uint8Array): string | undefined {
  return tryReadHeader(bytes)?.source;
}

/**
 * The tables a binary form holds, viewed in place (nothing parsed or copied; a name is decoded
 * when asked for), or undefined if `bytes` is not one this machine can read.
 */
export function tryReadAsnBinary(bytes: Uint8Array): AsnTables | undefined {
  const header = tryReadHeader(bytes);
  if (!header) return undefined;
  const sizes = [4, 4, 4, 8, 8, 4, 4, 4, 1];
  const lengths = [header.v4, header.v4, header.v4, header.v6, header.v6, header.v6, header.named, header.named, header.nameBytes];
  const first = align(preambleBytes + header.headerBytes);
  if (lengths.reduce((end, length, i) => align(end + length * sizes[i]!), first) > align(bytes.byteLength)) return undefined;
  // Typed arrays need their element size's alignment; a pooled Buffer may start anywhere.
  const data = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  let offset = first;
  const next = (i: number): [ArrayBufferLike, number, number] => {
    const at = offset;
    offset = align(offset + lengths[i]! * sizes[i]!);
    return [data.buffer, data.byteOffset + at, lengths[i]!];
  };
  const v4 = { start: new Uint32Array(...next(0)), end: new Uint32Array(...next(1)), asn: new Uint32Array(...next(2)) };
  const v6 = { start: new BigUint64Array(...next(3)), end: new BigUint64Array(...next(4)), asn: new Uint32Array(...next(5)) };
  const named = new Uint32Array(...next(6));
  const nameEnds = new Uint32Array(...next(7));
  const names = new Uint8Array(...next(8));
  return { v4, v6, organisations: new PackedNames(named, nameEnds, names) };
}

function tryReadHeader(bytes: Uint8Array): Header | undefined {
  if (bytes.byteLength < preambleBytes) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const littleEndian = view.getUint32(4, true) === byteOrderMark;
  const nativeLittleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
  if (view.getUint32(0, littleEndian) !== magic || view.getUint32(4, nativeLittleEndian) !== byteOrderMark) return undefined;
  const length = view.getUint32(8, nativeLittleEndian);
  if (preambleBytes + length > bytes.byteLength) return undefined;
  try {
    const header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + preambleBytes, length).toString('utf8')) as Partial<Header>;
    const counts = [header.v4, header.v6, header.named, header.nameBytes];
    return typeof header.source === 'string' && counts.every((n) => Number.isSafeInteger(n) && (n as number) >= 0) ? ({ ...header, headerBytes: length } as Header) : undefined;
  } catch {
    return undefined;
  }
}

/** Organisation names by ASN, each decoded from the packed UTF-8 on request. */
class PackedNames implements OrganisationNames {
  readonly #asns: Uint32Array;
  readonly #ends: Uint32Array;
  readonly #names: Uint8Array;
  readonly #decoder = new TextDecoder();

  constructor(asns: Uint32Array, ends: Uint32Array, names: Uint8Array) {
    this.#asns = asns;
    this.#ends = ends;
    this.#names = names;
  }

  get(asn: number): string | undefined {
    let lo = 0;
    let hi = this.#asns.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.#asns[mid]!;
      if (at === asn) return this.#decoder.decode(this.#names.subarray(mid === 0 ? 0 : this.#ends[mid - 1], this.#ends[mid]));
      if (at < asn) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

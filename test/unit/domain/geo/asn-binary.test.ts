import { describe, expect, it } from 'vitest';
import { computeAsnBinary, tryReadAsnBinary, tryReadAsnBinarySource } from '../../../../shared/domain/geo/asn-binary.ts';
import { AsnRanges } from '../../../../shared/domain/geo/asn-table.ts';

// Small tables with an odd count in each column, so every column after the first starts padded.
const tables = {
  v4: { start: Uint32Array.of(16777216, 16778240, 4294967295), end: Uint32Array.of(16777471, 16779263, 4294967295), asn: Uint32Array.of(13335, 38803, 64512) },
  v6: { start: BigUint64Array.of(0x20010db800000000n), end: BigUint64Array.of(0x20010db8ffffffffn), asn: Uint32Array.of(64496) },
  organisations: new Map([
    [64512, 'Quote "Inside" Ltd'],
    [13335, 'Cloudflare, Inc.'],
    [38803, 'Télécom Ünïcode 株式会社'],
    [64496, ''],
  ]),
};
const source = '@ip-location-db/asn@2.3.20251201';
const bytes = computeAsnBinary(tables, source);

describe('computeAsnBinary and tryReadAsnBinary', () => {
  const read = tryReadAsnBinary(bytes);

  it('names the package version the tables came from', () => expect(tryReadAsnBinarySource(bytes)).toBe(source));
  it('gives back every column as it was written', () => {
    expect(read?.v4).toEqual(tables.v4);
    expect(read?.v6).toEqual(tables.v6);
  });
  it('views the columns in place, copying nothing', () => expect(read?.v4.start.buffer).toBe(bytes.buffer));

  const names: Record<string, [asn: number, name: string | undefined]> = {
    'a name with quotes': [64512, 'Quote "Inside" Ltd'],
    'a name with a comma': [13335, 'Cloudflare, Inc.'],
    'a name outside ASCII': [38803, 'Télécom Ünïcode 株式会社'],
    'an empty name': [64496, ''],
    'an ASN below every named one': [1, undefined],
    'an ASN between named ones': [20000, undefined],
    'an ASN above every named one': [4294967295, undefined],
  };
  for (const [name, [asn, expected]] of Object.entries(names)) it(`finds ${name}`, () => expect(read?.organisations.get(asn)).toBe(expected));

  it('answers lookups as the tables it was made from', () => {
    const ranges = new AsnRanges(read!.v4);
    for (const address of [16777216, 16777471, 16777472, 4294967295, 0]) expect(ranges.find(address)).toBe(new AsnRanges(tables.v4).find(address));
  });

  it('reads a form that does not start at a multiple of 8 bytes (a pooled Buffer)', () => {
    const shifted = new Uint8Array(bytes.byteLength + 3);
    shifted.set(bytes, 3);
    const read = tryReadAsnBinary(shifted.subarray(3));
    expect(read?.v6).toEqual(tables.v6);
    expect(read?.organisations.get(38803)).toBe('Télécom Ünïcode 株式会社');
  });

  it('writes and reads empty tables', () => {
    const empty = { start: new Uint32Array(), end: new Uint32Array(), asn: new Uint32Array() };
    const read = tryReadAsnBinary(computeAsnBinary({ v4: empty, v6: { start: new BigUint64Array(), end: new BigUint64Array(), asn: new Uint32Array() }, organisations: new Map() }, source));
    expect(read?.v4.start.length).toBe(0);
    expect(read?.organisations.get(1)).toBeUndefined();
  });

  const flipped = (at: number) => {
    const copy = bytes.slice();
    copy[at] = (copy[at] ?? 0) ^ 0xff;
    return copy;
  };
  const refused: Record<string, Uint8Array> = {
    'no bytes': new Uint8Array(),
    'a CSV list': new TextEncoder().encode('16777216,16777471,13335,"Cloudflare, Inc."\n'),
    'another magic number': flipped(0),
    'the other byte order': flipped(4),
    'a header longer than the file': flipped(11),
    'a header that is not JSON': flipped(12),
    'a file cut short': bytes.slice(0, bytes.byteLength - 16),
  };
  for (const [name, input] of Object.entries(refused)) {
    it(`refuses ${name}`, () => {
      expect(tryReadAsnBinary(input)).toBeUndefined();
      if (name !== 'a file cut short') expect(tryReadAsnBinarySource(input)).toBeUndefined();
    });
  }
});

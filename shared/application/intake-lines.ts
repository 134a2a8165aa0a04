import { computeRequestKey } from '../domain/catalog/catalog-key.ts';
import type { CatalogEntry } from '../domain/catalog/catalog-entry.ts';
import type { Catalog } from './catalog-store.ts';
import type { BatchHouseholdKeyer } from '../domain/privacy/household-key.ts';
import type { EnrichedBeacon } from '../contracts/schemas/beacon-message.ts';
import type { FieldError } from '../contracts/schemas/validator.ts';
import { checkBeaconRecord } from '../domain/intake/check-beacon-record.ts';
import { toEnrichedBeacon } from '../domain/intake/enrich-beacon.ts';
import { createLogDecoder } from '../domain/intake/logs/decoders.ts';
import { LineRejections } from '../domain/intake/logs/line-rejections.ts';
import { LineSplitter } from '../domain/intake/logs/split-lines.ts';
import { toLoggedBeaconRecord } from '../domain/intake/logs/to-beacon-record.ts';
import type { LogDecoder, LogFormat, LoggedRequest } from '../domain/intake/logs/types.ts';
import type { IpLookup } from '../domain/geo/network-facts.ts';

export interface LogIntake {
  lines: number;
  accepted: EnrichedBeacon[];
  rejections: LineRejections;
}

interface Pending {
  line: number;
  text: string;
  request: LoggedRequest;
}

/**
 * Access-log text of one platform into enriched beacons: each line decoded, its URL looked up in
 * the platform's catalog, its record checked like a `POST /beacon/events` record. The event id is
 * a keyed digest of the platform and the line, so the same file twice is the same events.
 */
export async function intakeLogText(
  text: string,
  format: LogFormat,
  platform: string,
  catalog: Catalog,
  keyer: BatchHouseholdKeyer,
  network: IpLookup,
  receivedAt: string,
  // A file read in slices keeps one decoder, and with it its `#Fields:` or CSV header.
  decoder: LogDecoder = createLogDecoder(format),
): Promise<LogIntake> {
  const problems: Array<{ line: number; errors: FieldError[] }> = [];
  const pending: Pending[] = [];
  const splitter = new LineSplitter();
  const each = (line: string, number: number) => {
    const decoded = decoder.decode(line);
    if (decoded.kind === 'request') pending.push({ line: number, text: line, request: decoded.request });
    else if (decoded.kind === 'reject') problems.push({ line: number, errors: [{ path: `/line/${number}`, rule: 'decode', message: decoded.reason }] });
  };
  splitter.push(text, each);
  splitter.end(each);

  const entries = await lookupAll(catalog, platform, pending.map((p) => p.request));

  const accepted: EnrichedBeacon[] = [];
  pending.forEach((p, i) => {
    const entry = entries[i];
    if (!entry) {
      problems.push({ line: p.line, errors: [{ path: `/line/${p.line}`, rule: 'catalog', message: `no catalog episode at ${clipUrl(p.request)}: add its feed first (earshot feeds add)` }] });
      return;
    }
    const eventId = 'l_' + keyer.contentDigest(`${platform}\n${p.request.identity ?? p.text}`);
    const checked = checkBeaconRecord(toLoggedBeaconRecord(p.request, entry, eventId), platform);
    if (checked.ok) accepted.push(toEnrichedBeacon(checked.value, platform, receivedAt, keyer, network));
    else problems.push({ line: p.line, errors: checked.errors });
  });
  // Listed in line order, so the first lines of the reply are the first lines of the file.
  const rejections = new LineRejections();
  for (const p of problems.sort((a, b) => a.line - b.line)) rejections.add(p.line, p.errors);
  return { lines: splitter.linesSeen, accepted, rejections };
}

const clipUrl = (r: LoggedRequest) => `${r.host ?? ''}${r.path}`.slice(0, 200);

/**
 * The catalog entry of each request, its alternate name tried where the first is unknown. A log
 * repeats a few hundred URLs over and over: each distinct one is keyed and looked up once.
 */
async function lookupAll(catalog: Catalog, platform: string, requests: readonly LoggedRequest[]): Promise<Array<CatalogEntry | undefined>> {
  const distinct = new Map<string, number>();
  const keys: Array<{ key: string; byPath: boolean }> = [];
  const slotOf = (host: string | undefined, path: string) => {
    const raw = `${host ?? ''}\n${path}`;
    let slot = distinct.get(raw);
    if (slot === undefined) {
      slot = keys.length;
      keys.push(computeRequestKey(host, path));
      distinct.set(raw, slot);
    }
    return slot;
  };
  const slots = requests.map((r) => slotOf(r.host, r.path));
  const found = await catalog.lookup(platform, keys);
  const entries = slots.map((slot) => found[slot]);
  const retry = requests.flatMap((r, i) => (entries[i] === undefined && r.alternate ? [i] : []));
  if (retry.length) {
    const before = keys.length;
    const second = retry.map((i) => {
      const a = requests[i]?.alternate as { host: string; path: string };
      return slotOf(a.host, a.path);
    });
    const more = await catalog.lookup(platform, keys.slice(before));
    retry.forEach((i, j) => {
      const slot = second[j] as number;
      entries[i] = slot < before ? found[slot] : more[slot - before];
    });
  }
  return entries;
}

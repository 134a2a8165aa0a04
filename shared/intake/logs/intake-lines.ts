import { computeRequestKey } from '../../catalog/catalog-key.ts';
import type { Catalog } from '../../catalog/catalog-store.ts';
import type { BatchHouseholdKeyer } from '../../privacy/household-key.ts';
import type { EnrichedBeacon } from '../../schemas/beacon-message.ts';
import type { FieldError } from '../../schemas/validator.ts';
import { checkBeaconRecord } from '../check-beacon-record.ts';
import { toEnrichedBeacon } from '../enrich-beacon.ts';
import { createLogDecoder } from './decoders.ts';
import { LineRejections } from './line-rejections.ts';
import { LineSplitter } from './split-lines.ts';
import { toLoggedBeaconRecord } from './to-beacon-record.ts';
import type { LogFormat, LoggedRequest } from './types.ts';

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
export async function intakeLogText(text: string, format: LogFormat, platform: string, catalog: Catalog, keyer: BatchHouseholdKeyer, receivedAt: string): Promise<LogIntake> {
  const decoder = createLogDecoder(format);
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

  const keys = pending.map((p) => computeRequestKey(p.request.host, p.request.path));
  const entries = await catalog.lookup(platform, keys);
  const missing = pending.flatMap((p, i) => (entries[i] === undefined && p.request.alternate ? [i] : []));
  if (missing.length) {
    const second = await catalog.lookup(platform, missing.map((i) => { const a = pending[i]?.request.alternate as { host: string; path: string }; return computeRequestKey(a.host, a.path); }));
    missing.forEach((i, j) => (entries[i] = second[j]));
  }

  const accepted: EnrichedBeacon[] = [];
  pending.forEach((p, i) => {
    const entry = entries[i];
    if (!entry) {
      problems.push({ line: p.line, errors: [{ path: `/line/${p.line}`, rule: 'catalog', message: `no catalog episode at ${clipUrl(p.request)}: add its feed first (earshot feeds add)` }] });
      return;
    }
    const eventId = 'l_' + keyer.contentDigest(`${platform}\n${p.text}`);
    const checked = checkBeaconRecord(toLoggedBeaconRecord(p.request, entry, eventId), platform);
    if (checked.ok) accepted.push(toEnrichedBeacon(checked.value, platform, receivedAt, keyer));
    else problems.push({ line: p.line, errors: checked.errors });
  });
  // Listed in line order, so the first lines of the reply are the first lines of the file.
  const rejections = new LineRejections();
  for (const p of problems.sort((a, b) => a.line - b.line)) rejections.add(p.line, p.errors);
  return { lines: splitter.linesSeen, accepted, rejections };
}

const clipUrl = (r: LoggedRequest) => `${r.host ?? ''}${r.path}`.slice(0, 200);

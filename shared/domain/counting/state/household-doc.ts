import type { Exposure } from '../../attribution/exposure.ts';
import { daySeconds } from '../windows.ts';
import type { TaggedWindow } from './tagged-window.ts';

/**
 * Version of the household documents this code writes: version 3 of the counting state, windows
 * in `window-format.ts` version 2. Versions 1 and 2 were a document per listener window (`w:`),
 * listener day (`l:`) and household exposure list (`x:`); this code does not read them (see
 * docs/architecture.md, "Counting state", for the switch-over).
 */
export const householdDocVersion = 3;

/**
 * A listener's episode window with its batch tags (`tagged-window.ts`); `o` holds the listener's
 * excluded requests (bots, probes, client events) and late records, so those dedupe across
 * batches too: a listener with only such requests has an entry without `w`. Kept until `e` (s).
 */
export interface WindowEntry extends TaggedWindow {
  e: number;
}

/** The listener's first counted download of a show on a UTC day: [event hash, batch tag, kept until (s)]. */
export type ListenerDayEntry = [event: number, tag: number, keptUntil: number];

/** A volume tally of the household (`shared/domain/traffic/volume-anomalies.ts`): the hashes admitted, kept until `e` (s). */
export interface TallyEntry {
  h: number[];
  e: number;
}

/**
 * All counting state of one household key: its listener windows, listener days and volume tallies
 * by entry name (`computeEntryName`), and its recent exposures, newest last, capped
 * (`record-exposures.ts`). One document per household and month key: a batch reads and writes one
 * document for each household it holds.
 */
export interface HouseholdDoc {
  v: typeof householdDocVersion;
  w: Record<string, WindowEntry>;
  l: Record<string, ListenerDayEntry>;
  /** Absent in documents written before the volume rules. */
  a?: Record<string, TallyEntry>;
  x: Exposure[];
}

/** Exposures keep their household document this long after the newest: the longest lookback, and a day. */
export const exposureLifetimeSeconds = 91 * daySeconds;
/**
 * Firestore refuses documents over 1 MiB; past this estimate the entries nearest their end are
 * dropped. Only an address shared by thousands of listeners at once gets there.
 */
export const maxHouseholdDocBytes = 900_000;

export function createHouseholdDoc(): HouseholdDoc {
  return { v: householdDocVersion, w: {}, l: {}, a: {}, x: [] };
}

/**
 * A stored household document as a fresh copy to change, without the entries whose time ran out
 * by `now` (s); a new one when absent. A version this code does not know (a newer deploy's) is
 * refused rather than misread: the batch is retried, then dead-lettered.
 */
export function readHouseholdDoc(id: string, stored: unknown, now: number): HouseholdDoc {
  if (stored === undefined) return createHouseholdDoc();
  const version = (stored as { v?: unknown }).v;
  if (version !== householdDocVersion) {
    throw new Error(`household document ${id} has version ${String(version)}; this count function reads version ${householdDocVersion}`);
  }
  const doc = stored as HouseholdDoc;
  const windows: Record<string, WindowEntry> = {};
  for (const [name, entry] of Object.entries(doc.w)) if (entry.e > now) windows[name] = entry;
  const days: Record<string, ListenerDayEntry> = {};
  for (const [name, entry] of Object.entries(doc.l)) if (entry[2] > now) days[name] = entry;
  const tallies: Record<string, TallyEntry> = {};
  for (const [name, entry] of Object.entries(doc.a ?? {})) if (entry.e > now) tallies[name] = entry;
  return { v: householdDocVersion, w: windows, l: days, a: tallies, x: doc.x };
}

/** When the document may go (its TTL): when its last entry and its newest exposure's lifetime have. */
export function computeHouseholdDocExpiry(doc: HouseholdDoc): number {
  let expiry = 0;
  for (const entry of Object.values(doc.w)) expiry = Math.max(expiry, entry.e);
  for (const entry of Object.values(doc.l)) expiry = Math.max(expiry, entry[2]);
  for (const entry of Object.values(doc.a ?? {})) expiry = Math.max(expiry, entry.e);
  const newest = doc.x.at(-1);
  return newest ? Math.max(expiry, newest.ts + exposureLifetimeSeconds) : expiry;
}

/** Bytes Firestore counts for a value (numbers 8, strings their length and 1, field names likewise). */
export function computeStoredSize(value: unknown): number {
  if (typeof value === 'number') return 8;
  if (typeof value === 'string') return Buffer.byteLength(value) + 1;
  if (Array.isArray(value)) {
    let size = 0;
    for (const item of value) size += computeStoredSize(item);
    return size;
  }
  if (value !== null && typeof value === 'object') {
    let size = 0;
    for (const [name, item] of Object.entries(value)) if (item !== undefined) size += name.length + 1 + computeStoredSize(item);
    return size;
  }
  return 1;
}

/** Drops the window, listener-day and tally entries nearest their end until the document fits `maxBytes`. */
export function trimHouseholdDoc(doc: HouseholdDoc, maxBytes = maxHouseholdDocBytes): void {
  let size = computeStoredSize(doc);
  if (size <= maxBytes) return;
  const entries = [
    ...Object.entries(doc.w).map(([name, entry]) => ({ end: entry.e, size: name.length + 1 + computeStoredSize(entry), drop: () => delete doc.w[name] })),
    ...Object.entries(doc.l).map(([name, entry]) => ({ end: entry[2], size: name.length + 1 + computeStoredSize(entry), drop: () => delete doc.l[name] })),
    ...Object.entries(doc.a ?? {}).map(([name, entry]) => ({ end: entry.e, size: name.length + 1 + computeStoredSize(entry), drop: () => delete doc.a?.[name] })),
  ].sort((a, b) => a.end - b.end);
  for (const entry of entries) {
    if (size <= maxBytes) return;
    entry.drop();
    size -= entry.size;
  }
}

import { computeHash31 } from '../../domain/counting/hash31.ts';
import type { WindowRequest } from '../../domain/counting/listener-window.ts';
import { computeEpochSeconds } from '../../domain/counting/parse-timestamp.ts';
import type { CountingRules } from '../../domain/counting/prepare-request.ts';
import {
  computeHouseholdDocExpiry,
  readHouseholdDoc,
  trimHouseholdDoc,
  type HouseholdDoc,
  type WindowEntry,
} from '../../domain/counting/state/household-doc.ts';
import { addExposures } from '../../domain/counting/state/record-exposures.ts';
import { applyTagged, rememberOther } from '../../domain/counting/state/tagged-window.ts';
import { computeEntryName, computeHouseholdDocId, countingCollection } from '../../domain/counting/state/state-ids.ts';
import { anyDay, computeWindowKey } from '../../domain/counting/state/window-key.ts';
import { computeVerdict, type Verdict } from '../../domain/counting/verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds } from '../../domain/counting/windows.ts';
import type { Clock, StateStore, StateWrite } from '../../contracts/ports.ts';
import type { EnrichedBeacon } from '../../contracts/schemas/beacon-message.ts';
import { computeTrafficRules, type TrafficRules } from '../../domain/traffic/traffic-rules.ts';
import { computeVolumeKeys, decideVolume } from '../../domain/traffic/volume-anomalies.ts';
import type { UaClassifier } from '../../domain/ua/classifier.ts';
import { groupByDocuments } from './group-by-documents.ts';
import { prepareBatch, type CountedRequest, type StatefulRequest } from './prepare-batch.ts';

export type { CountedRequest } from './prepare-batch.ts';

/** Where a window lives: its household document and its entry there. */
interface WindowPlace {
  docId: string;
  entry: string;
}

/**
 * A request that needs its household's document: a window request, or (`request` undefined) one
 * decided without state, whose event is only remembered in its window entry's `o` list.
 */
interface Pending {
  position: number;
  ts: number;
  eventHash: number;
  request: WindowRequest | undefined;
  /** This month's place of the window, then last month's (rolling and extending windows, first day of a month). */
  windows: WindowPlace[];
  /** The listener-day entry, in this month's household document. */
  day: string | undefined;
  documents: string[];
}

/** Firestore takes 500 writes a transaction; a transaction writes at most one per document it reads. */
const maxDocsPerTransaction = 300;

/** What a transaction decided for a request: its verdict, unless the prepared one stands. */
type Decided = Partial<Pick<CountedRequest, 'verdict'>> & Pick<CountedRequest, 'fresh' | 'firstSeen'>;

interface BatchContext {
  tag: number;
  rules: CountingRules;
  traffic: TrafficRules;
  beacons: readonly EnrichedBeacon[];
  /** Now, s: entries whose time ran out read as absent. */
  now: number;
  /** Every entry written is kept at least until then, s, so records uploaded days late still dedupe. */
  keepUntil: number;
}

/**
 * Counts one batch with the listener windows in the state store (Firestore in the cloud), in one
 * household document per household key (`shared/domain/counting/state/household-doc.ts`): a batch reads
 * and writes one document per household it holds, together, in one transaction per group of up
 * to 300 documents. The data-centre and volume rules (`shared/domain/traffic/`, config `traffic`, the
 * defaults when absent) are applied with them, their tallies in the same documents. Replaying the
 * same batch gives the same verdicts and the same contributions.
 */
export async function countBatch(
  beacons: readonly EnrichedBeacon[],
  batchId: string,
  deps: { state: StateStore; rules: CountingRules; classifier: UaClassifier; clock: Clock; traffic?: TrafficRules },
): Promise<CountedRequest[]> {
  const now = Math.floor(deps.clock.now().getTime() / 1000);
  const traffic = deps.traffic ?? computeTrafficRules(undefined);
  const context: BatchContext = { tag: computeHash31(batchId), rules: deps.rules, traffic, beacons, now, keepUntil: now + 2 * daySeconds };
  const { results, stateful } = prepareBatch(beacons, deps.rules, deps.classifier, traffic);
  const pending = stateful.map((r) => toPending(r, deps.rules));
  for (const group of groupByDocuments(pending, maxDocsPerTransaction)) {
    const ids = [...new Set(group.flatMap((p) => p.documents))];
    const outcomes = await deps.state.transact<HouseholdDoc, Decided[]>(countingCollection, ids, (docs) => decide(group, ids, docs, context));
    group.forEach((p, i) => Object.assign(results[p.position] as CountedRequest, outcomes[i]));
  }
  return results;
}

function toPending({ beacon, position, request }: StatefulRequest, rules: CountingRules): Pending {
  const ts = request?.ts ?? computeEpochSeconds(beacon.ts);
  const day = computeDayStart(ts);
  const windowDay = rules.window === 'calendar' ? day : anyDay;
  const place = (householdKey: string): WindowPlace => ({
    docId: computeHouseholdDocId(householdKey),
    entry: computeEntryName(computeWindowKey({ platform: beacon.platform, householdKey, userAgent: beacon.user_agent, episodeId: beacon.episode_id, day: windowDay })),
  });
  const windows = [place(beacon.household_key)];
  const eventHash = request?.eventHash ?? computeHash31(beacon.event_id);
  if (!request) return { position, ts, eventHash, request, windows, day: undefined, documents: [windows[0]!.docId] };
  // A rolling or extending window opened last month is stored under last month's household key.
  if (rules.window !== 'calendar' && beacon.household_key_prev) windows.push(place(beacon.household_key_prev));
  return {
    position,
    ts,
    eventHash,
    request,
    windows,
    day: computeEntryName(`${beacon.platform}\n${beacon.show_id}\n${beacon.user_agent}\n${day}`),
    documents: [...new Set(windows.map((w) => w.docId))],
  };
}

/** Applies a group's requests, in time order, to their household documents; writes the documents that changed. */
function decide(
  group: readonly Pending[],
  ids: readonly string[],
  stored: ReadonlyArray<HouseholdDoc | undefined>,
  context: BatchContext,
): { writes: Array<StateWrite<HouseholdDoc>>; result: Decided[] } {
  const docs = new Map(ids.map((id, i) => [id, readHouseholdDoc(id, stored[i], context.now)]));
  const changed = new Set<string>();
  const result = group.map((p) => decideRequest(p, docs, changed, context));
  const writes = [...changed].map((id) => {
    const doc = docs.get(id) as HouseholdDoc;
    trimHouseholdDoc(doc);
    return { id, doc, expiresAt: new Date(Math.max(computeHouseholdDocExpiry(doc), context.keepUntil) * 1000) };
  });
  return { writes, result };
}

function decideRequest(p: Pending, docs: ReadonlyMap<string, HouseholdDoc>, changed: Set<string>, context: BatchContext): Decided {
  const { tag, rules, keepUntil } = context;
  const beacon = context.beacons[p.position] as EnrichedBeacon;
  // Always stored under this month's key: a window found under last month's is carried over, since
  // only the first day of a month brings last month's key and an extending window can outlast it.
  // The old entry stays (until its time) for late records of last month.
  const home = p.windows[0] as WindowPlace;
  const doc = docs.get(home.docId) as HouseholdDoc;
  const own = doc.w[home.entry];
  if (!p.request) {
    const seen = rememberOther(own, p.eventHash, tag);
    if (seen.others !== own?.o) {
      const until = Math.max(own?.e ?? 0, (rules.window === 'calendar' ? computeDayStart(p.ts) : p.ts) + 2 * daySeconds, keepUntil);
      doc.w[home.entry] = { ...own, o: seen.others, e: until };
      changed.add(home.docId);
    }
    // Its verdict stands as prepared, unless it is a duplicate.
    return seen.fresh ? { fresh: true, firstSeen: false } : { verdict: computeVerdict(beacon.event_id, 'duplicate_event'), fresh: false, firstSeen: false };
  }
  const found = p.windows.map((place) => docs.get(place.docId)?.w[place.entry]).find((entry) => entry?.w !== undefined);
  const applied = applyTagged(rules.window, found, own, p.request, tag);
  const { window, fresh, tags, previousTags, others, retired } = applied;
  if (found !== own || window !== found?.w || tags !== found?.t || others !== own?.o || retired !== found?.r) {
    const [start = 0, last = 0] = window;
    const next: WindowEntry = { w: window, t: tags, e: Math.max(own?.e ?? 0, computeWindowExpiry(rules.window, start, last), keepUntil) };
    if (previousTags) next.tp = previousTags;
    if (others) next.o = others;
    if (retired) next.r = retired;
    doc.w[home.entry] = next;
    changed.add(home.docId);
  }

  const { verdict, grew } = fresh ? screenVolume(doc, beacon, applied.verdict, p.ts, context) : { verdict: applied.verdict, grew: false };
  if (grew) changed.add(home.docId);
  let firstSeen = false;
  if (verdict.counted && fresh && p.day) {
    const day = doc.l[p.day];
    if (!day) {
      doc.l[p.day] = [p.request.eventHash, tag, Math.max(computeDayStart(p.request.ts) + 2 * daySeconds, keepUntil)];
      changed.add(home.docId);
    }
    firstSeen = !day || (day[0] === p.request.eventHash && day[1] === tag);
  }
  if (fresh && (verdict.ads_delivered.length || verdict.ghost_ads_delivered.length) && recordExposures(doc, beacon, verdict, p.request)) changed.add(home.docId);
  return { verdict, fresh, firstSeen };
}

/**
 * IAB v2.2 volume anomalies for a fresh request its window counted, against the household's
 * tallies in its document: the verdict, flagged `household_volume` or `address_burst` past a
 * threshold. The tallies only grow (a redelivered request is found in them and admitted again);
 * a request still counted has its hashes in them.
 */
function screenVolume(doc: HouseholdDoc, beacon: EnrichedBeacon, verdict: Verdict, ts: number, context: BatchContext): { verdict: Verdict; grew: boolean } {
  if (!verdict.counted) return { verdict, grew: false };
  const keys = computeVolumeKeys({ ...beacon, ts }, context.traffic);
  const tallies = (doc.a ??= {});
  const dayName = computeEntryName(keys.episodeDay);
  const burstName = computeEntryName(keys.burst);
  const decision = decideVolume(verdict, keys, tallies[dayName]?.h ?? [], tallies[burstName]?.h ?? [], context.traffic);
  const keep = Math.max(keys.until + 2 * daySeconds, context.keepUntil);
  let grew = false;
  for (const [name, next] of [[dayName, decision.episodeDay], [burstName, decision.burst]] as const) {
    if (next.length === (tallies[name]?.h.length ?? 0)) continue;
    tallies[name] = { h: [...next], e: keep };
    grew = true;
  }
  return { verdict: decision.verdict, grew };
}

/** Adds the request's delivered ads to the household's exposures; answers whether any was new. */
function recordExposures(doc: HouseholdDoc, beacon: EnrichedBeacon, verdict: Verdict, request: WindowRequest): boolean {
  const next = addExposures(doc.x, beacon, verdict, request);
  if (next === doc.x) return false;
  doc.x = [...next];
  return true;
}

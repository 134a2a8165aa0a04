import { computeHash31 } from '../../shared/counting/hash31.ts';
import { applyToWindow, type WindowRequest } from '../../shared/counting/listener-window.ts';
import { computeEpochSeconds } from '../../shared/counting/parse-timestamp.ts';
import { isVerdict, prepareRequest, type CountingRules } from '../../shared/counting/prepare-request.ts';
import { computeVerdict, type Verdict } from '../../shared/counting/verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds } from '../../shared/counting/windows.ts';
import type { Clock, StateStore, StateWrite } from '../../shared/ports.ts';
import type { EnrichedBeacon } from '../../shared/schemas/beacon-message.ts';
import { isAppleWatch, type UaClassification, type UaClassifier } from '../../shared/ua/classifier.ts';
import {
  computeDocId,
  countingCollection,
  maxExposuresPerHousehold,
  type ExposureDoc,
  type ListenerDayDoc,
  type WindowDoc,
  windowDocVersion,
} from './state-docs.ts';
import { readWindowDoc } from './window-doc.ts';

/** One request of a batch after counting. */
export interface CountedRequest {
  beacon: EnrichedBeacon;
  agent: UaClassification;
  verdict: Verdict;
  /**
   * False for a record seen before, in another batch or earlier in this one (verdict
   * `duplicate_event`): it adds nothing to any count. A redelivered batch is fresh again.
   */
  fresh: boolean;
  /** The listener's first counted download of the show that UTC day. */
  firstSeen: boolean;
}

/**
 * A request that needs its listener's documents: a window request, or (`request` undefined) one
 * decided without state, whose event is only remembered in the window document's `o` list.
 */
interface Pending {
  position: number;
  ts: number;
  eventHash: number;
  request: WindowRequest | undefined;
  windowIds: string[];
  dayId: string | undefined;
  exposureId: string | undefined;
}

/** Pairs kept in a window document's `o` list: a listener's excluded requests are remembered up to this many. */
const maxOtherEvents = 5_000;

type Doc = WindowDoc | ListenerDayDoc | ExposureDoc;
/** What a transaction decided for a request: its verdict, unless the prepared one stands. */
type Decided = Partial<Pick<CountedRequest, 'verdict'>> & Pick<CountedRequest, 'fresh' | 'firstSeen'>;
const maxDocsPerTransaction = 300;

/**
 * Counts one batch with the listener windows in the state store (Firestore in the cloud). The
 * documents a batch touches are read together, in as few transactions as their grouping allows,
 * so a message costs a handful of round trips and no document is hot: one per listener, episode
 * and window. Replaying the same batch gives the same verdicts and the same contributions.
 */
export async function countBatch(
  beacons: readonly EnrichedBeacon[],
  batchId: string,
  deps: { state: StateStore; rules: CountingRules; classifier: UaClassifier; clock: Clock },
): Promise<CountedRequest[]> {
  // State lives a while past processing too, so records uploaded days late still dedupe.
  const keepUntil = Math.floor(deps.clock.now().getTime() / 1000) + 2 * daySeconds;
  const tag = computeHash31(batchId);
  const { rules } = deps;
  const order = beacons.map((_, i) => i).sort((a, b) => Date.parse(beacons[a]?.ts ?? '') - Date.parse(beacons[b]?.ts ?? '') || a - b);
  const results: CountedRequest[] = new Array<CountedRequest>(beacons.length);
  const pending: Pending[] = [];
  const inBatch = new Set<string>();
  for (const position of order) {
    const beacon = beacons[position] as EnrichedBeacon;
    const agent = deps.classifier.classify(beacon.user_agent);
    // The same event twice in one batch: the first (in time order, then position) stands for both.
    const event = `${beacon.platform}/${beacon.event_id}`;
    if (inBatch.has(event)) {
      results[position] = { beacon, agent, verdict: computeVerdict(beacon.event_id, 'duplicate_event'), fresh: false, firstSeen: false };
      continue;
    }
    inBatch.add(event);
    const prepared = prepareRequest(beacon, { bot: agent.bot, appleWatch: isAppleWatch(beacon.user_agent) }, rules);
    // A window request's verdict is decided below, in its transaction.
    const verdict = isVerdict(prepared) ? prepared : computeVerdict(beacon.event_id, 'below_minimum');
    results[position] = { beacon, agent, verdict, fresh: true, firstSeen: false };
    pending.push(toPending(beacon, position, isVerdict(prepared) ? undefined : prepared, rules));
  }
  for (const group of groupByDocuments(pending)) {
    const ids = [...new Set(group.flatMap(documentsOf))];
    const outcomes = await deps.state.transact<Doc, Decided[]>(countingCollection, ids, (docs) =>
      decide(group, ids, docs, { tag, rules, beacons, keepUntil }),
    );
    group.forEach((p, i) => Object.assign(results[p.position] as CountedRequest, outcomes[i]));
  }
  return results;
}

function toPending(beacon: EnrichedBeacon, position: number, request: WindowRequest | undefined, rules: CountingRules): Pending {
  const ts = request?.ts ?? computeEpochSeconds(beacon.ts);
  const day = computeDayStart(ts);
  const windowDay = rules.window === 'calendar' ? day : -1;
  const windowKey = (household: string) => computeDocId('w:', [beacon.platform, household, beacon.user_agent, beacon.episode_id, windowDay]);
  const windowIds = [windowKey(beacon.household_key)];
  const eventHash = request?.eventHash ?? computeHash31(beacon.event_id);
  if (!request) return { position, ts, eventHash, request, windowIds, dayId: undefined, exposureId: undefined };
  // A rolling or extending window opened last month is stored under last month's household key.
  if (rules.window !== 'calendar' && beacon.household_key_prev) windowIds.push(windowKey(beacon.household_key_prev));
  return {
    position,
    ts,
    eventHash,
    request,
    windowIds,
    dayId: computeDocId('l:', [beacon.platform, beacon.show_id, beacon.household_key, beacon.user_agent, day]),
    exposureId: beacon.ads?.length ? `x:${beacon.household_key}` : undefined,
  };
}

function documentsOf(p: Pending): string[] {
  return [...p.windowIds, ...(p.dayId ? [p.dayId] : []), ...(p.exposureId ? [p.exposureId] : [])];
}

/** Requests that share a document must be decided together; others are split into chunks. */
function groupByDocuments(pending: readonly Pending[]): Pending[][] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(id, root);
    return root;
  };
  for (const p of pending) {
    const ids = documentsOf(p);
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) parent.set(find(id), find(ids[0] as string));
  }
  const components = new Map<string, Pending[]>();
  for (const p of pending) {
    const root = find(p.windowIds[0] as string);
    components.set(root, [...(components.get(root) ?? []), p]);
  }
  const chunks: Pending[][] = [];
  let chunk: Pending[] = [];
  let docs = 0;
  for (const component of components.values()) {
    const size = new Set(component.flatMap(documentsOf)).size;
    if (chunk.length && docs + size > maxDocsPerTransaction) {
      chunks.push(chunk);
      chunk = [];
      docs = 0;
    }
    chunk.push(...component);
    docs += size;
  }
  if (chunk.length) chunks.push(chunk);
  // Within a chunk, requests keep the batch's time order.
  return chunks.map((c) => c.sort((a, b) => a.ts - b.ts || a.position - b.position));
}

function decide(
  group: readonly Pending[],
  ids: readonly string[],
  docs: ReadonlyArray<Doc | undefined>,
  context: { tag: number; rules: CountingRules; beacons: readonly EnrichedBeacon[]; keepUntil: number },
): { writes: Array<StateWrite<Doc>>; result: Decided[] } {
  const { tag, rules, beacons, keepUntil } = context;
  const state = new Map<string, Doc | undefined>(ids.map((id, i) => [id, id.startsWith('w:') ? readWindowDoc(id, docs[i] as WindowDoc | undefined) : docs[i]]));
  const expiries = new Map<string, number>();
  const expire = (id: string, at: number) => expiries.set(id, Math.max(at, expiries.get(id) ?? 0));
  const result = group.map((p) => {
    const beacon = beacons[p.position] as EnrichedBeacon;
    // Always stored under this month's key: a window found under last month's is carried over, since
    // only the first day of a month brings last month's key and an extending window can outlast it.
    // The old document stays (until its TTL) for late records of last month.
    const windowId = p.windowIds[0] as string;
    const own = state.get(windowId) as WindowDoc | undefined;
    if (!p.request) {
      const seen = rememberOther(own, p.eventHash, tag);
      if (seen.next !== own) {
        state.set(windowId, seen.next);
        expire(windowId, (rules.window === 'calendar' ? computeDayStart(p.ts) : p.ts) + 2 * daySeconds);
      }
      // Its verdict stands as prepared, unless it is a duplicate.
      return seen.fresh ? { fresh: true, firstSeen: false } : { verdict: computeVerdict(beacon.event_id, 'duplicate_event'), fresh: false, firstSeen: false };
    }
    const foundId = p.windowIds.find((id) => (state.get(id) as WindowDoc | undefined)?.w !== undefined);
    const doc = foundId === undefined ? undefined : (state.get(foundId) as WindowDoc);
    const outcome = applyToWindow(rules.window, doc?.w, p.request);
    let verdict = outcome.verdict;
    let fresh = true;
    let tags = doc?.t ?? [];
    let previousTags = doc?.tp;
    let others = own?.o;
    if (outcome.replaced) [previousTags, tags] = [tags, []];
    if (outcome.position?.replayed) {
      const seenTag = (outcome.position.previous ? previousTags : tags)?.[outcome.position.index];
      fresh = seenTag === tag;
    } else if (outcome.position) tags = [...tags, tag];
    else {
      // A late record: the window does not take it, so it is remembered beside it.
      const seen = rememberOther(own, p.eventHash, tag);
      fresh = seen.fresh;
      others = seen.next.o;
    }
    if (!fresh) verdict = computeVerdict(verdict.event_id, 'duplicate_event');
    const next: WindowDoc = { v: windowDocVersion, w: outcome.window, t: tags };
    if (previousTags) next.tp = previousTags;
    if (others) next.o = others;
    state.set(windowId, next);
    const [start = 0, last = 0] = outcome.window;
    expire(windowId, computeWindowExpiry(rules.window, start, last));

    let firstSeen = false;
    if (verdict.counted && fresh && p.dayId) {
      const day = state.get(p.dayId) as ListenerDayDoc | undefined;
      if (!day) state.set(p.dayId, { e: p.request.eventHash, t: tag });
      firstSeen = !day || (day.e === p.request.eventHash && day.t === tag);
      expire(p.dayId, computeDayStart(p.request.ts) + 2 * daySeconds);
    }
    if (p.exposureId && fresh && (verdict.ads_delivered.length || verdict.ghost_ads_delivered.length)) {
      // From the newest exposure, not this request: a late upload of an old request must not
      // shorten the life of newer exposures in the same document.
      const newest = recordExposures(state, p.exposureId, beacon, verdict, p.request);
      expiries.set(p.exposureId, newest + 91 * daySeconds);
    }
    return { verdict, fresh, firstSeen };
  });
  const writes = [...expiries].map(([id, expiry]) => ({ id, doc: state.get(id) as Doc, expiresAt: new Date(Math.max(expiry, keepUntil) * 1000) }));
  return { writes, result };
}

/**
 * Looks an event the window does not take up in the document's `o` list: fresh when not there
 * (then added with this batch's tag) or there with this batch's tag (a redelivery).
 */
function rememberOther(doc: WindowDoc | undefined, eventHash: number, tag: number): { fresh: boolean; next: WindowDoc } {
  const others = doc?.o ?? [];
  for (let i = 0; i < others.length; i += 2) if (others[i] === eventHash) return { fresh: others[i + 1] === tag, next: doc as WindowDoc };
  // The oldest go first past the cap: a listener that sends thousands of excluded requests a
  // window must not outgrow a document.
  const kept = others.length >= 2 * maxOtherEvents ? others.slice(2) : others;
  return { fresh: true, next: { ...(doc ?? { v: windowDocVersion }), o: [...kept, eventHash, tag] } };
}

/** Adds the request's delivered ads to the household's exposures; returns the newest exposure time. */
function recordExposures(state: Map<string, Doc | undefined>, id: string, beacon: EnrichedBeacon, verdict: Verdict, request: WindowRequest): number {
  const doc = (state.get(id) as ExposureDoc | undefined) ?? { x: [] };
  const delivered = new Set([...verdict.ads_delivered, ...verdict.ghost_ads_delivered]);
  const ua = computeHash31(beacon.user_agent);
  let exposures = doc.x;
  for (const ad of beacon.ads ?? []) {
    if (!delivered.has(ad.ad_id) || exposures.some((x) => x.event === request.eventHash && x.ad_id === ad.ad_id)) continue;
    const exposure = { ts: request.ts, campaign_id: ad.campaign_id, creative_id: ad.creative_id, ad_id: ad.ad_id, ua, ghost: ad.ghost === true, event: request.eventHash };
    exposures = [...exposures, { ...exposure, ...(ad.advertiser_id === undefined ? {} : { advertiser_id: ad.advertiser_id }), ...(ad.study_id === undefined ? {} : { study_id: ad.study_id }) }];
  }
  // Uploads arrive out of order: keep the document sorted so the cap drops the oldest exposures.
  const kept = (exposures === doc.x ? exposures : [...exposures].sort((a, b) => a.ts - b.ts)).slice(-maxExposuresPerHousehold);
  state.set(id, { x: kept });
  return kept.at(-1)?.ts ?? request.ts;
}

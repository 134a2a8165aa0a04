import { createHash } from 'node:crypto';
import { groupByDocuments } from '../../../shared/application/counting/group-by-documents.ts';
import { prepareBatch, type CountedRequest, type StatefulRequest } from '../../../shared/application/counting/prepare-batch.ts';
import type { Exposure } from '../../../shared/domain/attribution/exposure.ts';
import { computeHash31 } from '../../../shared/domain/counting/hash31.ts';
import { computeEpochSeconds } from '../../../shared/domain/counting/parse-timestamp.ts';
import type { CountingRules } from '../../../shared/domain/counting/prepare-request.ts';
import { addExposures } from '../../../shared/domain/counting/state/record-exposures.ts';
import { computeLegacyExposureDocId } from '../../../shared/domain/counting/state/state-ids.ts';
import { applyTagged, rememberOther, type TaggedWindow } from '../../../shared/domain/counting/state/tagged-window.ts';
import { anyDay, computeWindowKey } from '../../../shared/domain/counting/state/window-key.ts';
import { computeVerdict } from '../../../shared/domain/counting/verdict.ts';
import { computeDayStart, computeWindowExpiry, daySeconds } from '../../../shared/domain/counting/windows.ts';
import type { Clock, StateStore, StateWrite } from '../../../shared/contracts/ports.ts';
import type { EnrichedBeacon } from '../../../shared/contracts/schemas/beacon-message.ts';
import { computeTrafficRules } from '../../../shared/domain/traffic/traffic-rules.ts';
import type { UaClassifier } from '../../../shared/domain/ua/classifier.ts';

/*
 * The state layout the household documents replaced, kept only as the usage benchmark's baseline
 * (`pipeline-usage.bench.ts` counts the same messages with both in the same run): a document per
 * listener window (`w:`), per listener, show and day (`l:`) and per household's exposures (`x:`),
 * each written whenever a request touched it.
 */

const collection = 'counting-per-window';
const maxDocsPerTransaction = 300;

type WindowDoc = TaggedWindow & { v: 2 };
interface ListenerDayDoc {
  e: number;
  t: number;
}
interface ExposureDoc {
  x: readonly Exposure[];
}
type Doc = WindowDoc | ListenerDayDoc | ExposureDoc;
type Decided = Partial<Pick<CountedRequest, 'verdict'>> & Pick<CountedRequest, 'fresh' | 'firstSeen'>;

interface Pending extends StatefulRequest {
  ts: number;
  eventHash: number;
  windowIds: string[];
  dayId: string | undefined;
  exposureId: string | undefined;
  documents: string[];
}

const computeDocId = (prefix: string, key: string) => prefix + createHash('sha256').update(key).digest('base64url').slice(0, 27);

/** Counts one batch with a document per listener window, listener day and household's exposures. */
export async function countBatchPerWindow(
  beacons: readonly EnrichedBeacon[],
  batchId: string,
  deps: { state: StateStore; rules: CountingRules; classifier: UaClassifier; clock: Clock },
): Promise<CountedRequest[]> {
  const keepUntil = Math.floor(deps.clock.now().getTime() / 1000) + 2 * daySeconds;
  const tag = computeHash31(batchId);
  const { results, stateful } = prepareBatch(beacons, deps.rules, deps.classifier, computeTrafficRules(undefined));
  const pending = stateful.map((r) => toPending(r, deps.rules));
  for (const group of groupByDocuments(pending, maxDocsPerTransaction)) {
    const ids = [...new Set(group.flatMap((p) => p.documents))];
    const outcomes = await deps.state.transact<Doc, Decided[]>(collection, ids, (docs) => decide(group, ids, docs, { tag, rules: deps.rules, keepUntil }));
    group.forEach((p, i) => Object.assign(results[p.position] as CountedRequest, outcomes[i]));
  }
  return results;
}

function toPending(stateful: StatefulRequest, rules: CountingRules): Pending {
  const { beacon, request } = stateful;
  const ts = request?.ts ?? computeEpochSeconds(beacon.ts);
  const day = computeDayStart(ts);
  const windowDay = rules.window === 'calendar' ? day : anyDay;
  const windowId = (householdKey: string) => computeDocId('w:', computeWindowKey({ platform: beacon.platform, householdKey, userAgent: beacon.user_agent, episodeId: beacon.episode_id, day: windowDay }));
  const windowIds = [windowId(beacon.household_key)];
  const eventHash = request?.eventHash ?? computeHash31(beacon.event_id);
  if (!request) return { ...stateful, ts, eventHash, windowIds, dayId: undefined, exposureId: undefined, documents: windowIds };
  if (rules.window !== 'calendar' && beacon.household_key_prev) windowIds.push(windowId(beacon.household_key_prev));
  const dayId = computeDocId('l:', `${beacon.platform}\n${beacon.show_id}\n${beacon.household_key}\n${beacon.user_agent}\n${day}`);
  const exposureId = beacon.ads?.length ? computeLegacyExposureDocId(beacon.household_key) : undefined;
  return { ...stateful, ts, eventHash, windowIds, dayId, exposureId, documents: [...windowIds, dayId, ...(exposureId ? [exposureId] : [])] };
}

function decide(
  group: readonly Pending[],
  ids: readonly string[],
  docs: ReadonlyArray<Doc | undefined>,
  context: { tag: number; rules: CountingRules; keepUntil: number },
): { writes: Array<StateWrite<Doc>>; result: Decided[] } {
  const { tag, rules, keepUntil } = context;
  const state = new Map<string, Doc | undefined>(ids.map((id, i) => [id, docs[i]]));
  const expiries = new Map<string, number>();
  const expire = (id: string, at: number) => expiries.set(id, Math.max(at, expiries.get(id) ?? 0));
  const result = group.map((p): Decided => {
    const windowId = p.windowIds[0] as string;
    const own = state.get(windowId) as WindowDoc | undefined;
    if (!p.request) {
      const seen = rememberOther(own, p.eventHash, tag);
      if (seen.others !== own?.o) {
        state.set(windowId, { ...own, v: 2, o: seen.others });
        expire(windowId, (rules.window === 'calendar' ? computeDayStart(p.ts) : p.ts) + 2 * daySeconds);
      }
      return seen.fresh ? { fresh: true, firstSeen: false } : { verdict: computeVerdict(p.beacon.event_id, 'duplicate_event'), fresh: false, firstSeen: false };
    }
    const found = p.windowIds.map((id) => state.get(id) as WindowDoc | undefined).find((doc) => doc?.w !== undefined);
    const { window, verdict, fresh, tags, previousTags, others, retired } = applyTagged(rules.window, found, own, p.request, tag);
    const next: WindowDoc = { v: 2, w: window, t: tags };
    if (previousTags) next.tp = previousTags;
    if (others) next.o = others;
    if (retired) next.r = retired;
    state.set(windowId, next);
    const [start = 0, last = 0] = window;
    expire(windowId, computeWindowExpiry(rules.window, start, last));
    let firstSeen = false;
    if (verdict.counted && fresh && p.dayId) {
      const day = state.get(p.dayId) as ListenerDayDoc | undefined;
      if (!day) state.set(p.dayId, { e: p.request.eventHash, t: tag });
      firstSeen = !day || (day.e === p.request.eventHash && day.t === tag);
      expire(p.dayId, computeDayStart(p.request.ts) + 2 * daySeconds);
    }
    if (p.exposureId && fresh && (verdict.ads_delivered.length || verdict.ghost_ads_delivered.length)) {
      const x = addExposures((state.get(p.exposureId) as ExposureDoc | undefined)?.x ?? [], p.beacon, verdict, p.request);
      state.set(p.exposureId, { x });
      expiries.set(p.exposureId, (x.at(-1)?.ts ?? p.request.ts) + 91 * daySeconds);
    }
    return { verdict, fresh, firstSeen };
  });
  const writes = [...expiries].map(([id, expiry]) => ({ id, doc: state.get(id) as Doc, expiresAt: new Date(Math.max(expiry, keepUntil) * 1000) }));
  return { writes, result };
}

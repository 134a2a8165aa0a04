import { computeEpochSeconds } from '../../shared/counting/parse-timestamp.ts';
import type { Clock, StateStore, StateWrite } from '../../shared/ports.ts';
import { screenDatacenter } from '../../shared/traffic/datacenter-rule.ts';
import type { TrafficRules } from '../../shared/traffic/traffic-rules.ts';
import { computeVolumeKeys, decideVolume, type VolumeKeys } from '../../shared/traffic/volume-anomalies.ts';
import type { CountedRequest } from './count-batch.ts';
import { computeDocId, countingCollection } from './state-docs.ts';

/** A volume tally in the state store (`a:` documents): the hashes admitted so far. */
export interface TallyDoc {
  h: number[];
}

const maxDocsPerTransaction = 300;
const daySeconds = 86_400;

interface Screened {
  request: CountedRequest;
  keys: VolumeKeys;
  ids: [string, string];
}

/**
 * The data-centre and volume rules over a counted batch, after its listener windows: the same
 * pure rules `earshot count` applies in memory (`shared/traffic/`), with the volume tallies in the
 * state store. Only fresh requests are screened (a duplicate adds nothing anyway). A household's
 * requests are decided together in one transaction, in time order, so a redelivered batch finds
 * its own requests in the tallies and gets the same verdicts. Changes verdicts in place (and
 * `firstSeen`: a request not counted is no listener's first).
 */
export async function screenTraffic(counted: readonly CountedRequest[], deps: { state: StateStore; rules: TrafficRules; clock: Clock }): Promise<void> {
  // As the listener windows: kept a while past processing too, so records uploaded days late still find them.
  const keepUntil = Math.floor(deps.clock.now().getTime() / 1000) + 2 * daySeconds;
  const byHousehold = new Map<string, Screened[]>();
  for (const request of counted) {
    if (!request.fresh) continue;
    const { beacon } = request;
    request.verdict = screenDatacenter(request.verdict, beacon.datacenter, request.agent.name, deps.rules);
    if (!request.verdict.counted) {
      request.firstSeen = false;
      continue;
    }
    const keys = computeVolumeKeys({ ...beacon, ts: computeEpochSeconds(beacon.ts) }, deps.rules);
    const household = `${beacon.platform}\n${beacon.household_key}`;
    const list = byHousehold.get(household) ?? [];
    list.push({ request, keys, ids: [computeDocId('a:', [keys.episodeDay]), computeDocId('a:', [keys.burst])] });
    byHousehold.set(household, list);
  }
  for (const group of chunk([...byHousehold.values()])) {
    const ids = [...new Set(group.flatMap((s) => s.ids))];
    const verdicts = await deps.state.transact<TallyDoc, CountedRequest['verdict'][]>(countingCollection, ids, (docs) => {
      const tallies = new Map(ids.map((id, i) => [id, docs[i]?.h ?? []] as [string, readonly number[]]));
      const changed = new Map<string, number>();
      const result = group.map(({ request, keys, ids: [dayId, burstId] }) => {
        const decision = decideVolume(request.verdict, keys, tallies.get(dayId) ?? [], tallies.get(burstId) ?? [], deps.rules);
        for (const [id, next] of [[dayId, decision.episodeDay], [burstId, decision.burst]] as const) {
          if (next === tallies.get(id)) continue;
          tallies.set(id, next);
          changed.set(id, Math.max(changed.get(id) ?? 0, keys.until));
        }
        return decision.verdict;
      });
      const writes: Array<StateWrite<TallyDoc>> = [...changed].map(([id, until]) => ({
        id,
        doc: { h: [...(tallies.get(id) ?? [])] },
        expiresAt: new Date(Math.max(until + 2 * daySeconds, keepUntil) * 1000),
      }));
      return { writes, result };
    });
    group.forEach((s, i) => {
      const verdict = verdicts[i] ?? s.request.verdict;
      if (verdict !== s.request.verdict && !verdict.counted) {
        s.request.verdict = verdict;
        s.request.firstSeen = false;
      }
    });
  }
}

/**
 * Requests in transactions of at most 300 documents: each household's in time order, and a
 * household too large for one transaction continued in the next (they run one after another).
 */
function chunk(households: readonly Screened[][]): Screened[][] {
  const chunks: Screened[][] = [];
  let current: Screened[] = [];
  let docs = new Set<string>();
  for (const household of households) {
    const ordered = [...household].sort((a, b) => Date.parse(a.request.beacon.ts) - Date.parse(b.request.beacon.ts));
    for (const screened of ordered) {
      if (current.length && docs.size + 2 > maxDocsPerTransaction) {
        chunks.push(current);
        current = [];
        docs = new Set();
      }
      current.push(screened);
      for (const id of screened.ids) docs.add(id);
    }
  }
  if (current.length) chunks.push(current);
  return chunks;
}

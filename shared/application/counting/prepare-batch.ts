import type { WindowRequest } from '../../domain/counting/listener-window.ts';
import { isVerdict, prepareRequest, type CountingRules } from '../../domain/counting/prepare-request.ts';
import { computeVerdict, type Verdict } from '../../domain/counting/verdict.ts';
import type { EnrichedBeacon } from '../../contracts/schemas/beacon-message.ts';
import { isDatacenterRequest } from '../../domain/traffic/datacenter-rule.ts';
import type { TrafficRules } from '../../domain/traffic/traffic-rules.ts';
import { isAppleWatch, type UaClassification, type UaClassifier } from '../../domain/ua/classifier.ts';

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

/** A request of the batch that its listener's state decides: a window request, or (`request` undefined) one decided without state, only remembered. */
export interface StatefulRequest {
  position: number;
  beacon: EnrichedBeacon;
  request: WindowRequest | undefined;
}

/**
 * The part of counting a batch that needs no state: each record's agent and stateless verdict
 * (a window request's is settled later, with its window), in time order, then position. The same
 * event twice in one batch: the first stands for both, the other is a `duplicate_event`. A request
 * the request and User-Agent rules would pass on to its window but that comes from a data centre
 * is `datacenter` instead (MRC GIVT, `shared/domain/traffic/datacenter-rule.ts`): it never enters a window.
 */
export function prepareBatch(
  beacons: readonly EnrichedBeacon[],
  rules: CountingRules,
  classifier: UaClassifier,
  traffic: TrafficRules,
): { results: CountedRequest[]; stateful: StatefulRequest[] } {
  const order = beacons.map((_, i) => i).sort((a, b) => Date.parse(beacons[a]?.ts ?? '') - Date.parse(beacons[b]?.ts ?? '') || a - b);
  const results: CountedRequest[] = new Array<CountedRequest>(beacons.length);
  const stateful: StatefulRequest[] = [];
  const inBatch = new Set<string>();
  for (const position of order) {
    const beacon = beacons[position] as EnrichedBeacon;
    const agent = classifier.classify(beacon.user_agent);
    const event = `${beacon.platform}/${beacon.event_id}`;
    if (inBatch.has(event)) {
      results[position] = { beacon, agent, verdict: computeVerdict(beacon.event_id, 'duplicate_event'), fresh: false, firstSeen: false };
      continue;
    }
    inBatch.add(event);
    let prepared = prepareRequest(beacon, { bot: agent.bot, appleWatch: isAppleWatch(beacon.user_agent) }, rules);
    if (!isVerdict(prepared) && isDatacenterRequest(beacon.datacenter, agent.name, traffic)) {
      prepared = computeVerdict(beacon.event_id, 'datacenter');
    }
    const verdict = isVerdict(prepared) ? prepared : computeVerdict(beacon.event_id, 'below_minimum');
    results[position] = { beacon, agent, verdict, fresh: true, firstSeen: false };
    stateful.push({ position, beacon, request: isVerdict(prepared) ? undefined : prepared });
  }
  return { results, stateful };
}

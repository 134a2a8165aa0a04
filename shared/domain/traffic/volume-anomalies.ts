import { computeHash31 } from '../counting/hash31.ts';
import { computeVerdict, type Verdict } from '../counting/verdict.ts';
import { computeDayStart } from '../counting/windows.ts';
import type { TrafficRules } from './traffic-rules.ts';

/** What the volume rules need of a counted request: no address, only its household key. */
export interface VolumeRequest {
  platform: string;
  household_key: string;
  episode_id: string;
  event_id: string;
  /** Request time, seconds. */
  ts: number;
}

/**
 * The two tallies a counted request is checked against, each a list of small hashes that only
 * grows to its threshold: the downloads of one episode by one household on one UTC day (event
 * hashes) and the episodes one household downloaded in one burst window (episode hashes).
 */
export interface VolumeKeys {
  /** Tally of (platform, household, episode, UTC day). */
  episodeDay: string;
  /** Tally of (platform, household, burst window). */
  burst: string;
  /** Seconds after which neither tally can change. */
  until: number;
  eventHash: number;
  episodeHash: number;
}

export function computeVolumeKeys(request: VolumeRequest, rules: TrafficRules): VolumeKeys {
  const day = computeDayStart(request.ts);
  const burstStart = request.ts - (((request.ts % rules.burstWindowS) + rules.burstWindowS) % rules.burstWindowS);
  return {
    episodeDay: `${request.platform}\n${request.household_key}\n${request.episode_id}\n${day}`,
    burst: `${request.platform}\n${request.household_key}\n${burstStart}`,
    until: Math.max(day + 86_400, burstStart + rules.burstWindowS),
    eventHash: computeHash31(`${request.platform}/${request.event_id}`),
    episodeHash: computeHash31(request.episode_id),
  };
}

export interface VolumeDecision {
  /** The verdict: as given, or flagged `household_volume` or `address_burst`. */
  verdict: Verdict;
  /** The tallies after this request (the same arrays when nothing changed). */
  episodeDay: readonly number[];
  burst: readonly number[];
}

/**
 * IAB v2.2 volume anomalies, checked for a request its listener window counted. A household is
 * admitted up to `householdEpisodeMax` downloads of one episode a UTC day and `burstEpisodesMax`
 * distinct episodes a burst window; a request past either is flagged (the episode rule first),
 * not counted and its ads not delivered, and leaves the tallies as they were. A request already
 * in the tallies (a redelivery) is admitted again, so replays give the same verdicts, and the
 * tallies only grow until full, so a flagged request stays flagged.
 */
export function decideVolume(verdict: Verdict, keys: VolumeKeys, episodeDay: readonly number[], burst: readonly number[], rules: TrafficRules): VolumeDecision {
  if (!verdict.counted) return { verdict, episodeDay, burst };
  const inEpisodeDay = episodeDay.includes(keys.eventHash);
  if (!inEpisodeDay && episodeDay.length >= rules.householdEpisodeMax) return { verdict: computeVerdict(verdict.event_id, 'household_volume'), episodeDay, burst };
  const inBurst = burst.includes(keys.episodeHash);
  if (!inBurst && burst.length >= rules.burstEpisodesMax) return { verdict: computeVerdict(verdict.event_id, 'address_burst'), episodeDay, burst };
  return {
    verdict,
    episodeDay: inEpisodeDay ? episodeDay : [...episodeDay, keys.eventHash],
    burst: inBurst ? burst : [...burst, keys.episodeHash],
  };
}

/**
 * The volume tallies in memory, for `earshot count` (the `count` function keeps them in its
 * household documents, `shared/application/counting/count-batch.ts`). Records should come roughly in time order;
 * `forgetBefore` drops tallies that can no longer change.
 */
export class VolumeTallies {
  readonly #tallies = new Map<string, { until: number; hashes: readonly number[] }>();
  readonly #rules: TrafficRules;

  constructor(rules: TrafficRules) {
    this.#rules = rules;
  }

  screen(verdict: Verdict, request: VolumeRequest): Verdict {
    if (!verdict.counted) return verdict;
    const keys = computeVolumeKeys(request, this.#rules);
    const decision = decideVolume(verdict, keys, this.#read(keys.episodeDay), this.#read(keys.burst), this.#rules);
    this.#tallies.set(keys.episodeDay, { until: keys.until, hashes: decision.episodeDay });
    this.#tallies.set(keys.burst, { until: keys.until, hashes: decision.burst });
    return decision.verdict;
  }

  #read(key: string): readonly number[] {
    return this.#tallies.get(key)?.hashes ?? [];
  }

  /** Forgets tallies whose windows ended before `ts` (seconds). */
  forgetBefore(ts: number): void {
    for (const [key, tally] of this.#tallies) if (tally.until < ts) this.#tallies.delete(key);
  }
}

import type { EnrichedBeacon } from '../../contracts/schemas/beacon-message.ts';
import { computeArrangementHash } from './arrangement.ts';
import { computeHash31 } from './hash31.ts';
import { computeEpochSeconds } from './parse-timestamp.ts';
import type { WindowRequest } from './listener-window.ts';
import { isFirstTwoBytesProbe } from './range-header.ts';
import { computeMinimumBytes, computeServedBytes } from './request-bytes.ts';
import { computeVerdict, type Verdict } from './verdict.ts';
import type { WindowMode } from './windows.ts';

/** The record fields counting reads: a beacon after intake (no raw IP). */
export type CountableRecord = Pick<
  EnrichedBeacon,
  | 'event_id' | 'type' | 'ts' | 'platform' | 'episode_id' | 'household_key' | 'household_key_prev' | 'user_agent' | 'method'
  | 'status' | 'range' | 'bytes_sent' | 'file_size' | 'duration_s' | 'id3_size' | 'bitrate_kbps' | 'ads'
>;

export interface CountingRules {
  window: WindowMode;
  /** Keep `Range: bytes=0-1` probes as ordinary requests (OP3's choice) instead of excluding them. */
  keepFirstTwoBytes: boolean;
}

const noAds: WindowRequest['ads'] = [];

/** How the User-Agent was judged: only the parts counting needs. */
export interface AgentJudgement {
  bot: boolean;
  appleWatch: boolean;
}

/** A request decided without state (its verdict), or one for its listener window. */
export type PreparedRequest = Verdict | WindowRequest;

export function isVerdict(prepared: PreparedRequest): prepared is Verdict {
  return 'reason' in prepared;
}

/**
 * The rules that need no state, in IAB v2.x order: downloads only (pixels are client events),
 * GET only, no 304 or errors, no `bytes=0-1` probes, no Apple Watch (`atc/`) or bots, and some
 * bytes served. A request that passes becomes a window request with its served bytes and the
 * minimum that makes a download.
 */
export function prepareRequest(record: CountableRecord, agent: AgentJudgement, rules: CountingRules): PreparedRequest {
  const id = record.event_id;
  if (record.type !== 'download') return computeVerdict(id, 'client_event');
  if ((record.method ?? 'GET') !== 'GET') return computeVerdict(id, 'not_get');
  const status = record.status ?? 200;
  if (status === 304) return computeVerdict(id, 'not_modified');
  if (status < 200 || status >= 300) return computeVerdict(id, 'http_error');
  if (!rules.keepFirstTwoBytes && isFirstTwoBytesProbe(record.range)) return computeVerdict(id, 'first_two_bytes_probe');
  if (agent.appleWatch) return computeVerdict(id, 'apple_watch');
  if (agent.bot) return computeVerdict(id, 'bot');
  const served = computeServedBytes(record);
  if (!served) return computeVerdict(id, 'no_bytes_served');
  return {
    eventId: id,
    eventHash: computeHash31(id),
    ts: computeEpochSeconds(record.ts),
    start: served.start,
    end: served.end,
    minimum: computeMinimumBytes(record),
    arrangement: computeArrangementHash(record.file_size, record.ads ?? noAds),
    ads: record.ads ?? noAds,
  };
}

import { addByteRange, coversByteRange, coversPrefix, type ByteRanges } from './byte-ranges.ts';
import { computeVerdict, type Verdict, type VerdictReason } from './verdict.ts';
import { computeWindowStart, isInWindow, type WindowMode } from './windows.ts';

/** What one request contributes to its listener's window, prepared without state. */
export interface WindowRequest {
  eventId: string;
  /** 32-bit hash of the event id: how a window remembers the requests it has seen. */
  eventHash: number;
  ts: number;
  start: number;
  end: number;
  /** Bytes from 0 that make a download (one minute, or the whole file). */
  minimum: number;
  ads: ReadonlyArray<{ ad_id: string; byte_start: number; byte_end: number; ghost?: boolean }>;
}

/** Replay memory of a closed window (rolling / extending replace their window in one document). */
interface SeenRequests {
  seen: number[];
  counted: number;
  /** `"<index in seen> <a|g> <ad_id>"`: which request delivered which ad (a real, g ghost). */
  delivered: string[];
}

/**
 * State of one listener (household + User-Agent) for one episode in one window: the merged bytes
 * served, the requests seen, which one counted, and the ads delivered. JSON-safe, so the same
 * object is kept in memory or in a Firestore document. It remembers the requests it saw so that
 * a redelivered request gets exactly the verdict it got the first time (DESIGN.md §7).
 */
export interface ListenerWindow extends SeenRequests {
  start: number;
  last: number;
  ranges: ByteRanges;
  previous?: SeenRequests;
}

export interface WindowOutcome {
  /** The window to store: the given one updated in place, or a new one. */
  window: ListenerWindow;
  verdict: Verdict;
}

function replayVerdict(memory: SeenRequests, index: number, eventId: string): Verdict {
  const reason: VerdictReason = index === memory.counted ? 'counted' : memory.counted >= 0 && index > memory.counted ? 'already_counted' : 'below_minimum';
  const ads: string[] = [];
  const ghosts: string[] = [];
  for (const entry of memory.delivered) {
    const [by, kind, adId = ''] = entry.split(' ');
    if (Number(by) === index) (kind === 'g' ? ghosts : ads).push(adId);
  }
  return computeVerdict(eventId, reason, ads, ghosts);
}

function isDelivered(window: ListenerWindow, adId: string): boolean {
  for (const entry of window.delivered) if (entry.endsWith(adId) && entry.split(' ')[2] === adId) return true;
  return false;
}

function openWindow(mode: WindowMode, ts: number, replaced: ListenerWindow | undefined): ListenerWindow {
  const window: ListenerWindow = { start: computeWindowStart(mode, ts), last: ts, ranges: [], seen: [], counted: -1, delivered: [] };
  if (replaced) window.previous = { seen: replaced.seen, counted: replaced.counted, delivered: replaced.delivered };
  return window;
}

/**
 * Applies one request to its listener window. The request whose bytes first complete the minimum
 * from byte 0 counts; later ones in the window are `already_counted`. An inserted ad is delivered,
 * once per counted download, by the request after which the merged bytes cover all of it.
 */
export function applyToWindow(mode: WindowMode, current: ListenerWindow | undefined, request: WindowRequest): WindowOutcome {
  if (current) {
    const replay = current.seen.indexOf(request.eventHash);
    if (replay !== -1) return { window: current, verdict: replayVerdict(current, replay, request.eventId) };
    const replayPrevious = current.previous?.seen.indexOf(request.eventHash) ?? -1;
    if (current.previous && replayPrevious !== -1) return { window: current, verdict: replayVerdict(current.previous, replayPrevious, request.eventId) };
    // A record older than the open window arrived after it opened: its window is gone.
    if (mode !== 'calendar' && request.ts < current.start) return { window: current, verdict: computeVerdict(request.eventId, 'late_event') };
  }
  const window = current && isInWindow(mode, current.start, current.last, request.ts) ? current : openWindow(mode, request.ts, current);
  const index = window.seen.push(request.eventHash) - 1;
  if (request.ts > window.last) window.last = request.ts;
  addByteRange(window.ranges, request.start, request.end);

  let reason: VerdictReason = 'below_minimum';
  if (window.counted >= 0) reason = 'already_counted';
  else if (coversPrefix(window.ranges, request.minimum)) {
    window.counted = index;
    reason = 'counted';
  }
  const ads: string[] = [];
  const ghosts: string[] = [];
  if (window.counted >= 0) {
    for (const ad of request.ads) {
      if (!coversByteRange(window.ranges, ad.byte_start, ad.byte_end) || isDelivered(window, ad.ad_id)) continue;
      window.delivered.push(`${index} ${ad.ghost ? 'g' : 'a'} ${ad.ad_id}`);
      (ad.ghost ? ghosts : ads).push(ad.ad_id);
    }
  }
  return { window, verdict: computeVerdict(request.eventId, reason, ads, ghosts) };
}

import { countArrangementRanges, findArrangement, toArrangementMarker } from './arrangement.ts';
import { addByteRange, coversByteRange, coversPrefix } from './byte-ranges.ts';
import { computeHash31 } from './hash31.ts';
import { computeVerdict, noAds, type Verdict, type VerdictReason } from './verdict.ts';
import { computeWindowStart, isInWindow, type WindowMode } from './windows.ts';
import {
  adNumbersOf,
  adNumbersPerAd,
  notCounted,
  previousNumbersOf,
  replayLayout,
  tailShift,
  windowLayout,
  type ListenerWindow,
} from './state/window-format.ts';

/** What one request contributes to its listener's window, prepared without state. */
export interface WindowRequest {
  eventId: string;
  /** 31-bit hash of the event id: how a window remembers the requests it has seen. */
  eventHash: number;
  /** Request time in whole seconds since the epoch. */
  ts: number;
  start: number;
  end: number;
  /** Bytes from 0 that make a download (one minute, or the whole file). */
  minimum: number;
  /** Hash of the served file's size and inserted ads (`computeArrangementHash`): whose bytes these are. */
  arrangement: number;
  ads: ReadonlyArray<{ ad_id: string; byte_start: number; byte_end: number; ghost?: boolean }>;
}

const { start, last, counted, rangeCount, seenCount, tail, check: windowCheck, header } = windowLayout;

const seenAt = (w: ListenerWindow) => header + (w[rangeCount] as number);
const adsAt = (w: ListenerWindow) => seenAt(w) + (w[seenCount] as number);
const previousAt = (w: ListenerWindow) => adsAt(w) + adNumbersOf(w[tail] as number);

export interface WindowOutcome {
  /** The window to store: the given one when nothing changed, else a new array. */
  window: ListenerWindow;
  verdict: Verdict;
  /**
   * Where the request sits in the window's seen list: appended now, or found there (`replayed`),
   * possibly in the replay block of the window this one replaced (`previous`). Undefined for a
   * late record. Lets a caller keep its own per-request notes beside the window.
   */
  position?: { index: number; replayed: boolean; previous: boolean };
  /** The request opened a new window in place of `current` (rolling and extending only). */
  replaced: boolean;
}

/** Ads of `request` that the request at `index` delivered, per a (seen index, ghost, hash) list. */
function deliveredBy(w: ListenerWindow, from: number, count: number, index: number, request: WindowRequest): [readonly string[], readonly string[]] {
  let ads = noAds;
  let ghosts = noAds;
  for (let i = from; i < from + count; i += adNumbersPerAd) {
    if (w[i] !== index) continue;
    const ad = request.ads.find((a) => computeHash31(a.ad_id) === w[i + 2]);
    if (!ad) continue;
    if (w[i + 1] === 1) ghosts = [...ghosts, ad.ad_id];
    else ads = [...ads, ad.ad_id];
  }
  return [ads, ghosts];
}

function replayReason(countedIndex: number, index: number): VerdictReason {
  if (index === countedIndex) return 'counted';
  return countedIndex >= 0 && index > countedIndex ? 'already_counted' : 'below_minimum';
}

function tryReplay(w: ListenerWindow, request: WindowRequest): WindowOutcome | undefined {
  const seen = seenAt(w);
  for (let i = 0; i < (w[seenCount] as number); i++) {
    if (w[seen + i] !== request.eventHash) continue;
    const [ads, ghosts] = deliveredBy(w, adsAt(w), adNumbersOf(w[tail] as number), i, request);
    const verdict = computeVerdict(request.eventId, replayReason(w[counted] as number, i), ads, ghosts);
    return { window: w, verdict, position: { index: i, replayed: true, previous: false }, replaced: false };
  }
  if (previousNumbersOf(w[tail] as number) === 0) return undefined;
  const p = previousAt(w);
  const pSeen = w[p + replayLayout.seenCount] as number;
  const pHashes = p + replayLayout.header;
  for (let i = 0; i < pSeen; i++) {
    if (w[pHashes + i] !== request.eventHash) continue;
    const [ads, ghosts] = deliveredBy(w, pHashes + pSeen, w[p + replayLayout.adNumbers] as number, i, request);
    const verdict = computeVerdict(request.eventId, replayReason(w[p + replayLayout.counted] as number, i), ads, ghosts);
    return { window: w, verdict, position: { index: i, replayed: true, previous: true }, replaced: false };
  }
  return undefined;
}

function openWindow(mode: WindowMode, ts: number, replaced: ListenerWindow | undefined): ListenerWindow {
  const w: ListenerWindow = [computeWindowStart(mode, ts), ts, notCounted, 0, 0, 0, replaced ? (replaced[windowCheck] as number) : 0];
  if (replaced) {
    const seen = replaced.slice(seenAt(replaced), adsAt(replaced));
    const ads = replaced.slice(adsAt(replaced), previousAt(replaced));
    // The replay block, in `replayLayout` order.
    w.push(replaced[counted] as number, seen.length, ads.length, ...seen, ...ads);
    w[tail] = (replayLayout.header + seen.length + ads.length) * tailShift;
  }
  return w;
}

/**
 * A listener's first window, with its first request's range and hash, built at its final size in
 * one array: most windows see one or two requests, and building it in steps took four arrays.
 */
function openFirstWindow(mode: WindowMode, request: WindowRequest): ListenerWindow {
  return [computeWindowStart(mode, request.ts), request.ts, notCounted, 3, 1, 0, 0, toArrangementMarker(request.arrangement), request.start, request.end, request.eventHash];
}

/** A copy of `w` with `hash` appended to its seen list (exact size, unlike a splice). */
function withInserted(w: ListenerWindow, hash: number): ListenerWindow {
  const at = adsAt(w);
  const out: ListenerWindow = new Array<number>(w.length + 1);
  for (let i = 0; i < at; i++) out[i] = w[i] as number;
  out[at] = hash;
  for (let i = at; i < w.length; i++) out[i + 1] = w[i] as number;
  out[seenCount] = (w[seenCount] as number) + 1;
  return out;
}

function isDelivered(w: ListenerWindow, adHash: number): boolean {
  const from = adsAt(w);
  for (let i = from; i < from + adNumbersOf(w[tail] as number); i += adNumbersPerAd) if (w[i + 2] === adHash) return true;
  return false;
}

/**
 * Applies one request to its listener window. Its bytes merge with the window's earlier bytes of
 * the same arrangement (the same served file) only. The request after which one arrangement's
 * bytes first complete the minimum from byte 0 counts; later ones in the window, of any
 * arrangement, are `already_counted`. An inserted ad is delivered, once per window, by the request
 * after which its arrangement's merged bytes both make a download and cover all of the ad: so
 * whether an ad is delivered depends only on the bytes of its own file, not on which file counted
 * first, and totals do not depend on the order records arrive in.
 */
export function applyToWindow(mode: WindowMode, current: ListenerWindow | undefined, request: WindowRequest): WindowOutcome {
  if (current) {
    const replayed = tryReplay(current, request);
    if (replayed) return replayed;
    // A record older than the open window arrived after it opened: its window is gone.
    if (mode !== 'calendar' && request.ts < (current[start] as number)) {
      return { window: current, verdict: computeVerdict(request.eventId, 'late_event'), replaced: false };
    }
  }
  const inWindow = current !== undefined && isInWindow(mode, current[start] as number, current[last] as number, request.ts);
  let w: ListenerWindow;
  let compact = true;
  // Where this request's arrangement's ranges sit in the window: from `marker + 1`, `count` numbers.
  let marker: number = header;
  let count = 2;
  if (current === undefined) w = openFirstWindow(mode, request);
  else {
    // A new exact-size array with the request's hash inserted: growing one in place would leave V8
    // slack capacity in a window that may live for a day.
    w = withInserted(inWindow ? current : openWindow(mode, request.ts, current), request.eventHash);
    if (request.ts > (w[last] as number)) w[last] = request.ts;
    const length = w.length;
    const ranges = w[rangeCount] as number;
    marker = findArrangement(w, request.arrangement, header, ranges);
    if (marker < 0) {
      marker = header + ranges;
      w.splice(marker, 0, toArrangementMarker(request.arrangement), request.start, request.end);
      w[rangeCount] = ranges + 3;
    } else {
      const before = countArrangementRanges(w, marker, header + ranges);
      count = addByteRange(w, request.start, request.end, marker + 1, before);
      w[rangeCount] = ranges + count - before;
    }
    compact = w.length === length;
  }
  const index = (w[seenCount] as number) - 1;
  const from = marker + 1;
  const makesDownload = coversPrefix(w, request.minimum, from, count);

  let reason: VerdictReason = 'below_minimum';
  if ((w[counted] as number) >= 0) reason = 'already_counted';
  else if (makesDownload) {
    w[counted] = index;
    reason = 'counted';
  }
  let ads = noAds;
  let ghosts = noAds;
  if (makesDownload && request.ads.length > 0) {
    for (const ad of request.ads) {
      const adHash = computeHash31(ad.ad_id);
      if (!coversByteRange(w, ad.byte_start, ad.byte_end, from, count) || isDelivered(w, adHash)) continue;
      w.splice(previousAt(w), 0, index, ad.ghost ? 1 : 0, adHash);
      w[tail] = (w[tail] as number) + adNumbersPerAd;
      compact = false;
      if (ad.ghost) ghosts = [...ghosts, ad.ad_id];
      else ads = [...ads, ad.ad_id];
    }
  }
  const verdict = computeVerdict(request.eventId, reason, ads, ghosts);
  return { window: compact ? w : w.slice(), verdict, position: { index, replayed: false, previous: false }, replaced: current !== undefined && !inWindow };
}

/** A request of a window's replay block, as replaying it needs: its hash, its reason, and the ads it delivered. */
export interface ReplayedRequest {
  eventHash: number;
  reason: VerdictReason;
  /** (ghost 0/1, ad hash) of each ad it delivered. */
  ads: Array<[ghost: number, adHash: number]>;
}

/**
 * The requests of `w`'s replay block: what `applyToWindow` drops when `w` itself is replaced, for
 * a caller that must still replay them (a batch redelivered after its listener's window was
 * replaced twice within it).
 */
export function listReplayBlock(w: ListenerWindow): ReplayedRequest[] {
  if (previousNumbersOf(w[tail] as number) === 0) return [];
  const p = previousAt(w);
  const seen = w[p + replayLayout.seenCount] as number;
  const hashes = p + replayLayout.header;
  const ads = hashes + seen;
  const adNumbers = w[p + replayLayout.adNumbers] as number;
  const requests: ReplayedRequest[] = [];
  for (let i = 0; i < seen; i++) {
    const delivered: ReplayedRequest['ads'] = [];
    for (let k = ads; k < ads + adNumbers; k += adNumbersPerAd) if (w[k] === i) delivered.push([w[k + 1] as number, w[k + 2] as number]);
    requests.push({ eventHash: w[hashes + i] as number, reason: replayReason(w[p + replayLayout.counted] as number, i), ads: delivered });
  }
  return requests;
}

/** The verdict a request of a replay block got, its delivered ads named from `request`'s. */
export function computeReplayedVerdict(replayed: Pick<ReplayedRequest, 'reason' | 'ads'>, request: WindowRequest): Verdict {
  let ads = noAds;
  let ghosts = noAds;
  for (const [ghost, adHash] of replayed.ads) {
    const ad = request.ads.find((a) => computeHash31(a.ad_id) === adHash);
    if (!ad) continue;
    if (ghost === 1) ghosts = [...ghosts, ad.ad_id];
    else ads = [...ads, ad.ad_id];
  }
  return computeVerdict(request.eventId, replayed.reason, ads, ghosts);
}

import { applyToWindow, computeReplayedVerdict, listReplayBlock, type ReplayedRequest, type WindowRequest } from '../listener-window.ts';
import type { ListenerWindow } from './window-format.ts';
import { computeVerdict, type Verdict, type VerdictReason } from '../verdict.ts';
import type { WindowMode } from '../windows.ts';

/**
 * A stored listener window with the batch tag of each request it has seen (`t`, and `tp` for the
 * window it replaced), which tells a redelivered batch (same tag: same verdicts again) from a
 * record re-sent in another batch (a duplicate that adds nothing); `o`, the (event hash, batch
 * tag) pairs of the listener's requests the window did not take; and `r`, the requests of windows
 * replaced before the one in the replay block, so a batch that replaced its listener's window
 * twice still replays: (event hash, batch tag, reason code, ad count, then (ghost, ad hash) per ad).
 */
export interface TaggedWindow {
  w?: ListenerWindow;
  t?: number[];
  tp?: number[];
  o?: number[];
  r?: number[];
}

/** Pairs kept in `o`: a listener's excluded requests are remembered up to this many. */
const maxOtherEvents = 5_000;
/** Numbers kept in `r`, the oldest going first. */
const maxRetiredNumbers = 10_000;
const retiredReasons: readonly VerdictReason[] = ['counted', 'already_counted', 'below_minimum'];

export interface TaggedOutcome {
  window: ListenerWindow;
  verdict: Verdict;
  fresh: boolean;
  tags: number[];
  previousTags: number[] | undefined;
  others: number[] | undefined;
  retired: number[] | undefined;
}

/**
 * Applies a window request of the batch tagged `tag` to the window `found` (this month's `own`,
 * or last month's carried over): the rules' verdict, unless the request was seen before in
 * another batch (`duplicate_event`, not fresh). The arrays answered are the stored ones when
 * nothing changed, so a caller can tell whether to write.
 */
export function applyTagged(mode: WindowMode, found: TaggedWindow | undefined, own: TaggedWindow | undefined, request: WindowRequest, tag: number): TaggedOutcome {
  const retiredOne = found?.r && findRetired(found.r, request.eventHash);
  if (found?.w && retiredOne) {
    const fresh = retiredOne.tag === tag;
    const verdict = fresh ? computeReplayedVerdict(retiredOne, request) : computeVerdict(request.eventId, 'duplicate_event');
    return { window: found.w, verdict, fresh, tags: found.t ?? [], previousTags: found.tp, others: own?.o, retired: found.r };
  }
  const outcome = applyToWindow(mode, found?.w, request);
  let fresh = true;
  let tags = found?.t ?? [];
  let previousTags = found?.tp;
  let others = own?.o;
  let retired = found?.r;
  if (outcome.replaced && found?.w) {
    // The replay block `applyToWindow` dropped, with its batch tags.
    const dropped = listReplayBlock(found.w);
    if (dropped.length) retired = retire(retired ?? [], dropped, previousTags ?? []);
    [previousTags, tags] = [tags, []];
  }
  if (outcome.position?.replayed) {
    const seenTag = (outcome.position.previous ? previousTags : tags)?.[outcome.position.index];
    fresh = seenTag === tag;
  } else if (outcome.position) tags = [...tags, tag];
  else {
    // A late record: the window does not take it, so it is remembered beside it.
    const seen = rememberOther(own, request.eventHash, tag);
    fresh = seen.fresh;
    others = seen.others;
  }
  const verdict = fresh ? outcome.verdict : computeVerdict(outcome.verdict.event_id, 'duplicate_event');
  return { window: outcome.window, verdict, fresh, tags, previousTags, others, retired };
}

function retire(retired: readonly number[], dropped: readonly ReplayedRequest[], tags: readonly number[]): number[] {
  const next = [...retired];
  dropped.forEach((request, i) => next.push(request.eventHash, tags[i] ?? -1, retiredReasons.indexOf(request.reason), request.ads.length, ...request.ads.flat()));
  // Whole records go first past the cap: each is 4 numbers and 2 per ad.
  let from = 0;
  while (next.length - from > maxRetiredNumbers) from += 4 + 2 * (next[from + 3] as number);
  return from ? next.slice(from) : next;
}

function findRetired(retired: readonly number[], eventHash: number): (Pick<ReplayedRequest, 'reason' | 'ads'> & { tag: number }) | undefined {
  for (let i = 0; i < retired.length; i += 4 + 2 * (retired[i + 3] as number)) {
    if (retired[i] !== eventHash) continue;
    const ads: ReplayedRequest['ads'] = [];
    for (let k = 0; k < (retired[i + 3] as number); k++) ads.push([retired[i + 4 + 2 * k] as number, retired[i + 5 + 2 * k] as number]);
    return { tag: retired[i + 1] as number, reason: retiredReasons[retired[i + 2] as number] as VerdictReason, ads };
  }
  return undefined;
}

/**
 * Looks an event the window does not take up in the `o` list: fresh when not there (then added
 * with this batch's tag) or there with this batch's tag (a redelivery). Answers the list to keep:
 * the stored one when the event was there.
 */
export function rememberOther(window: TaggedWindow | undefined, eventHash: number, tag: number): { fresh: boolean; others: number[] } {
  const others = window?.o ?? [];
  for (let i = 0; i < others.length; i += 2) if (others[i] === eventHash) return { fresh: others[i + 1] === tag, others };
  // The oldest go first past the cap: a listener that sends thousands of excluded requests a
  // window must not outgrow a document.
  const kept = others.length >= 2 * maxOtherEvents ? others.slice(2) : others;
  return { fresh: true, others: [...kept, eventHash, tag] };
}

import { applyToWindow, type WindowRequest } from '../listener-window.ts';
import type { ListenerWindow } from './window-format.ts';
import { computeVerdict, type Verdict } from '../verdict.ts';
import type { WindowMode } from '../windows.ts';

/**
 * A stored listener window with the batch tag of each request it has seen (`t`, and `tp` for the
 * window it replaced), which tells a redelivered batch (same tag: same verdicts again) from a
 * record re-sent in another batch (a duplicate that adds nothing); and `o`, the (event hash,
 * batch tag) pairs of the listener's requests the window did not take.
 */
export interface TaggedWindow {
  w?: ListenerWindow;
  t?: number[];
  tp?: number[];
  o?: number[];
}

/** Pairs kept in `o`: a listener's excluded requests are remembered up to this many. */
const maxOtherEvents = 5_000;

export interface TaggedOutcome {
  window: ListenerWindow;
  verdict: Verdict;
  fresh: boolean;
  tags: number[];
  previousTags: number[] | undefined;
  others: number[] | undefined;
}

/**
 * Applies a window request of the batch tagged `tag` to the window `found` (this month's `own`,
 * or last month's carried over): the rules' verdict, unless the request was seen before in
 * another batch (`duplicate_event`, not fresh). The arrays answered are the stored ones when
 * nothing changed, so a caller can tell whether to write.
 */
export function applyTagged(mode: WindowMode, found: TaggedWindow | undefined, own: TaggedWindow | undefined, request: WindowRequest, tag: number): TaggedOutcome {
  const outcome = applyToWindow(mode, found?.w, request);
  let fresh = true;
  let tags = found?.t ?? [];
  let previousTags = found?.tp;
  let others = own?.o;
  if (outcome.replaced) [previousTags, tags] = [tags, []];
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
  return { window: outcome.window, verdict, fresh, tags, previousTags, others };
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

import { legacyArrangement, toArrangementMarker } from '../../shared/counting/arrangement.ts';
import { tailShift, type ListenerWindow } from '../../shared/counting/listener-window.ts';
import { windowDocVersion, type WindowDoc } from './state-docs.ts';

/** A stored `w:` document as found: this version, or version 1 (no `v`, no arrangements). */
interface StoredWindowDoc {
  v?: number;
  w?: ListenerWindow;
  t?: number[];
  tp?: number[];
  o?: number[];
}

/**
 * Reads a `w:` document in the current version. A version 1 window had its ad count and replay
 * block length in two header slots, now one. Its ranges came from files of
 * any arrangement, merged: they are kept under an arrangement no request has, so they still show
 * what the window counted and delivered but never complete another file's bytes. A version this
 * code does not know (written by a newer deploy) is refused rather than misread.
 */
export function readWindowDoc(id: string, stored: StoredWindowDoc | undefined): WindowDoc | undefined {
  if (stored === undefined) return undefined;
  if (stored.v === windowDocVersion) return stored as WindowDoc;
  if (stored.v !== undefined) throw new Error(`window document ${id} has version ${stored.v}; this count function reads versions 1 and ${windowDocVersion}`);
  const { w, t, tp } = stored;
  if (!w) throw new Error(`window document ${id} of version 1 has no window`);
  const upgraded = upgradeWindow(w);
  return tp ? { v: windowDocVersion, w: upgraded, t: t ?? [], tp } : { v: windowDocVersion, w: upgraded, t: t ?? [] };
}

/** Version 1 layout: start, last, counted, range numbers, seen, ad numbers, replay block length, check. */
function upgradeWindow(w: ListenerWindow): ListenerWindow {
  const [start = 0, last = 0, counted = -1, ranges = 0, seen = 0, ads = 0, previous = 0, check = 0] = w;
  const header = [start, last, counted, ranges === 0 ? 0 : ranges + 1, seen, ads + previous * tailShift, check];
  const body = w.slice(8);
  return ranges === 0 ? [...header, ...body] : [...header, toArrangementMarker(legacyArrangement), ...body];
}

import { legacyArrangement, toArrangementMarker } from '../../shared/counting/arrangement.ts';
import { windowLayout, type ListenerWindow } from '../../shared/counting/listener-window.ts';
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
 * Reads a `w:` document in the current version. A version 1 window's ranges came from files of
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

function upgradeWindow(w: ListenerWindow): ListenerWindow {
  const ranges = w[windowLayout.rangeCount] as number;
  if (ranges === 0) return w;
  const out = [...w];
  out.splice(windowLayout.header, 0, toArrangementMarker(legacyArrangement));
  out[windowLayout.rangeCount] = ranges + 1;
  return out;
}

/** IAB v2.x §5.5.1 uniqueness windows: UTC calendar day (default), rolling 24 h, extending 24 h. */
export type WindowMode = 'calendar' | 'rolling' | 'extending';

/** Windows work in whole seconds since the epoch (small integers: compact window state). */
export const daySeconds = 86_400;

/** Start of the UTC day of `ts` (s). */
export function computeDayStart(ts: number): number {
  return ts - (((ts % daySeconds) + daySeconds) % daySeconds);
}

/**
 * Whether a request at `ts` belongs to the open window that started at `start` and last saw a
 * request at `last`: same UTC day (calendar); within 24 h of the window's first request
 * (rolling); within 24 h of the window's latest request (extending).
 */
export function isInWindow(mode: WindowMode, start: number, last: number, ts: number): boolean {
  switch (mode) {
    case 'calendar':
      return computeDayStart(ts) === start;
    case 'rolling':
      return ts >= start && ts < start + daySeconds;
    case 'extending':
      return ts >= start && ts < last + daySeconds;
  }
}

/** Where a new window opened by a request at `ts` starts. */
export function computeWindowStart(mode: WindowMode, ts: number): number {
  return mode === 'calendar' ? computeDayStart(ts) : ts;
}

/** When a window's state may be forgotten (a day of grace for late records): for the TTL. */
export function computeWindowExpiry(mode: WindowMode, start: number, last: number): number {
  const end = mode === 'calendar' ? start + daySeconds : mode === 'rolling' ? start + daySeconds : last + daySeconds;
  return end + daySeconds;
}

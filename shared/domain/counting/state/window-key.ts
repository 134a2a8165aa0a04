/** The parts that name a listener's episode window. */
export interface WindowKeyParts {
  platform: string;
  householdKey: string;
  userAgent: string;
  episodeId: string;
  /** Start of the UTC day for calendar windows; `anyDay` for rolling and extending ones (one window per listener and episode). */
  day: number;
}

/** The `day` of a rolling or extending window's key. */
export const anyDay = -1;

/**
 * Identity of a listener's episode window (IAB v2.x: a listener is household + User-Agent), the
 * one spelling of it: the engine keys windows it keeps apart by it, the count function names a
 * window inside its household document by its digest.
 */
export function computeWindowKey(parts: WindowKeyParts): string {
  return `${parts.platform}\n${parts.householdKey}\n${parts.userAgent}\n${parts.episodeId}\n${parts.day}`;
}

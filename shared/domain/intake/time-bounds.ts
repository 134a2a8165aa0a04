import type { EarshotConfig } from '../../contracts/schemas/config.ts';
import type { FieldError } from '../../contracts/schemas/validator.ts';

/** Defaults of the config's `intake` section. */
export const intakeDefaults = { min_ts: '2000-01-01T00:00:00Z', max_future_s: 86_400 } as const;

/**
 * The times a record may carry, checked against the clock at intake. Year 0001 or 9999 is a
 * sender's bug, not an event: it would be counted into a day no report shows, and BigQuery's
 * TIMESTAMP stops at years 0001 and 9999.
 */
export interface TimeWindow {
  minMs: number;
  maxFutureMs: number;
  now: Date;
}

/** The window of `config.intake` around `now`. */
export function computeTimeWindow(config: Pick<EarshotConfig, 'intake'>, now: Date): TimeWindow {
  const intake = { ...intakeDefaults, ...config.intake };
  return { minMs: Date.parse(intake.min_ts), maxFutureMs: intake.max_future_s * 1000, now };
}

/** The error for a timestamp (already a valid RFC 3339 string) outside the window, naming `path`. */
export function tryCheckTime(ts: string, path: string, window: TimeWindow): FieldError | undefined {
  const ms = Date.parse(ts);
  const maxMs = window.now.getTime() + window.maxFutureMs;
  if (ms >= window.minMs && ms <= maxMs) return undefined;
  const from = new Date(window.minMs).toISOString();
  return { path, rule: 'timeRange', message: `must be between ${from} and ${window.maxFutureMs / 1000} s after now (${new Date(maxMs).toISOString()})` };
}

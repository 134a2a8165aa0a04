import { createHash } from 'node:crypto';
import type { ListenerWindow } from '../../shared/counting/listener-window.ts';

/** Collection of the counting state: listener windows (`w:`), listener days (`l:`), exposures (`x:`). */
export const countingCollection = 'counting';

/** Version of the `w:` documents this code writes (`window-doc.ts` reads older ones). */
export const windowDocVersion = 2;

/**
 * A listener window in Firestore: the window, and beside it the batch tag of each request it has
 * seen (`t`, and `tp` for the window it replaced), which tells a redelivered batch (same tag:
 * same verdicts again) from a record re-sent in another batch (a duplicate that adds nothing).
 * `o` remembers the listener's requests the window did not take (excluded ones such as bots,
 * probes and client events, and late records) as (event hash, batch tag) pairs, so those dedupe
 * across batches too; a listener with only such requests has a document without `w`.
 * Version 1 (no `v`) kept one merged range list for all arrangements, and the ad count and the
 * replay block's length in two header slots.
 */
export interface WindowDoc {
  v: typeof windowDocVersion;
  w?: ListenerWindow;
  t?: number[];
  tp?: number[];
  o?: number[];
}

/** The listener's first counted download of a show on a UTC day: which event, in which batch. */
export interface ListenerDayDoc {
  e: number;
  t: number;
}

/** One ad exposure of a household, for attribution. */
export interface Exposure {
  /** Delivery time, seconds. */
  ts: number;
  campaign_id: string;
  creative_id: string;
  ad_id: string;
  advertiser_id?: string;
  /** 31-bit hash of the User-Agent: tells cross-device conversions from same-device ones. */
  ua: number;
  ghost: boolean;
  /** Lift study the placement was assigned in, when the platform named one. */
  study_id?: string;
  /** 31-bit hash of the delivering event id: makes recording an exposure idempotent. */
  event: number;
}

/** Recent exposures of one household (key of one month), newest last, capped. */
export interface ExposureDoc {
  x: Exposure[];
}

export const maxExposuresPerHousehold = 500;

/** A Firestore-safe document id from the parts of a key (no slashes, bounded length). */
export function computeDocId(prefix: string, parts: ReadonlyArray<string | number>): string {
  return prefix + createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27);
}

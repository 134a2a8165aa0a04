import { catalogFeedsCollection, type Catalog } from '../../shared/application/catalog-store.ts';
import { json } from '../../shared/platform/http/responses.ts';
import type { HttpResponse } from '../../shared/platform/http/types.ts';
import type { Logger } from '../../shared/platform/logging/logger.ts';
import type { Clock, StateStore } from '../../shared/contracts/ports.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { readFeedIntoCatalog, type FeedFetcher } from './feeds-route.ts';

/** Refreshes closer together than this are answered without fetching: the route takes no key. */
export const minRefreshIntervalMs = 10 * 60_000;

interface RefreshDoc {
  at: string;
}

/**
 * `POST /beacon/feeds/refresh` (Cloud Scheduler): every feed of `platforms[].feeds` read again,
 * conditionally. It needs no key because it can only fetch the configured feeds, at most once per
 * interval (claimed in the state store, so instances agree); a caller learns nothing but counts.
 */
export async function refreshConfiguredFeeds(deps: { config: EarshotConfig; state: StateStore; catalog: Catalog; fetchFeed: FeedFetcher; clock: Clock; log: Logger }): Promise<HttpResponse> {
  const now = deps.clock.now();
  const claimed = await deps.state.transact<RefreshDoc, boolean>(catalogFeedsCollection, ['refresh'], ([last]) => {
    if (last && now.getTime() - Date.parse(last.at) < minRefreshIntervalMs) return { writes: [], result: false };
    return { writes: [{ id: 'refresh', doc: { at: now.toISOString() } }], result: true };
  });
  if (!claimed) return json(200, { refreshed: 0, failed: 0, throttled: true });
  let refreshed = 0;
  let failed = 0;
  for (const platform of deps.config.platforms) {
    for (const url of platform.feeds ?? []) {
      const outcome = await readFeedIntoCatalog(deps.catalog, deps.fetchFeed, deps.clock, platform.id, { url }).catch((err: Error) => ({ ok: false as const, message: err.message }));
      if (outcome.ok) refreshed++;
      else {
        failed++;
        deps.log.warn('feed refresh failed', { platform: platform.id, url, reason: outcome.message });
      }
    }
  }
  deps.log.info('feeds refreshed', { refreshed, failed });
  return json(200, { refreshed, failed, throttled: false });
}

import { createHash } from 'node:crypto';
import type { StateStore } from '../contracts/ports.ts';
import { computeCatalogKey, pathOfKey } from '../domain/catalog/catalog-key.ts';
import type { CatalogEntry, FeedDoc } from '../domain/catalog/catalog-entry.ts';
import type { CatalogEpisode } from '../domain/catalog/parse-feed.ts';

export const catalogUrlsCollection = 'catalog_urls';
export const catalogPathsCollection = 'catalog_paths';
export const catalogFeedsCollection = 'catalog_feeds';
const urls = catalogUrlsCollection;
const paths = catalogPathsCollection;
const feeds = catalogFeedsCollection;

/** Every platform's entries are also filed under this one, for the prefix redirect (no platform key). */
export const anyPlatform = '*';

// Document ids are digests: keys hold `/` and may be long, which Firestore ids may not.
const docId = (platform: string, key: string) => createHash('sha256').update(`${platform}\n${key}`).digest('base64url');

/**
 * The episode catalog in the state store, per platform: entries by enclosure key (and by path,
 * for logs that name no host). A feed read again overwrites its episodes' entries.
 */
export class Catalog {
  constructor(private readonly state: StateStore) {}

  async addFeed(platform: string, showId: string, episodes: readonly CatalogEpisode[], feed: Omit<FeedDoc, 'platform' | 'show_id' | 'episodes'>): Promise<void> {
    const byUrl: Array<{ id: string; doc: CatalogEntry }> = [];
    const byPath: Array<{ id: string; doc: CatalogEntry }> = [];
    for (const e of episodes) {
      const doc: CatalogEntry = { show_id: showId, episode_id: e.episode_id };
      if (e.file_size !== undefined) doc.file_size = e.file_size;
      if (e.duration_s !== undefined) doc.duration_s = e.duration_s;
      const key = computeCatalogKey(e.url);
      byUrl.push({ id: docId(platform, key), doc }, { id: docId(anyPlatform, key), doc });
      byPath.push({ id: docId(platform, pathOfKey(key)), doc });
    }
    await writeAll(this.state, urls, byUrl);
    await writeAll(this.state, paths, byPath);
    const feedDoc: FeedDoc = { platform, show_id: showId, episodes: episodes.length, ...feed };
    const feedDocs = [{ id: docId(platform, showId), doc: feedDoc }];
    if (feed.url) feedDocs.push({ id: docId(platform, `url:${feed.url}`), doc: feedDoc });
    await writeAll(this.state, feeds, feedDocs);
  }

  /** The last read of a feed URL, for a conditional request. */
  async tryFeedByUrl(platform: string, url: string): Promise<FeedDoc | undefined> {
    const [doc] = await this.state.getMany<FeedDoc>(feeds, [docId(platform, `url:${url}`)]);
    return doc;
  }

  async tryFeed(platform: string, showId: string): Promise<FeedDoc | undefined> {
    const [doc] = await this.state.getMany<FeedDoc>(feeds, [docId(platform, showId)]);
    return doc;
  }

  /** Entries for keys (`computeRequestKey`), in order; `byPath` keys are looked up by path. */
  async lookup(platform: string, keys: ReadonlyArray<{ key: string; byPath: boolean }>): Promise<Array<CatalogEntry | undefined>> {
    const out: Array<CatalogEntry | undefined> = new Array<CatalogEntry | undefined>(keys.length);
    for (const [collection, byPath] of [[urls, false], [paths, true]] as const) {
      const wanted = new Map<string, number[]>();
      keys.forEach((k, i) => {
        if (k.byPath !== byPath) return;
        const id = docId(platform, k.key);
        wanted.set(id, [...(wanted.get(id) ?? []), i]);
      });
      if (!wanted.size) continue;
      const ids = [...wanted.keys()];
      const docs = await this.state.getMany<CatalogEntry>(collection, ids);
      ids.forEach((id, j) => {
        for (const i of wanted.get(id) ?? []) out[i] = docs[j];
      });
    }
    return out;
  }
}

/** Unconditional writes through `transact`, the one write the port offers, in bounded groups. */
async function writeAll<T extends object>(state: StateStore, collection: string, docs: ReadonlyArray<{ id: string; doc: T }>): Promise<void> {
  const unique = [...new Map(docs.map((d) => [d.id, d])).values()];
  // Firestore allows 500 writes per transaction.
  for (let i = 0; i < unique.length; i += 400) {
    const group = unique.slice(i, i + 400);
    await state.transact<T, void>(collection, group.map((d) => d.id), () => ({ writes: group, result: undefined }));
  }
}

/** What a catalog lookup gives a request: the ids and what the counting rules need of the file. */
export interface CatalogEntry {
  show_id: string;
  episode_id: string;
  file_size?: number;
  duration_s?: number;
}

/** A feed as last read, for conditional refreshes (`ETag`, `If-Modified-Since`). */
export interface FeedDoc {
  platform: string;
  show_id: string;
  url?: string;
  etag?: string;
  last_modified?: string;
  episodes: number;
  read_at: string;
}

/** A small RSS feed of the shape hosting platforms publish, for the catalog and intake tests. */
export interface FeedEpisode {
  guid: string;
  url: string;
  length: number;
  duration: string;
}

export function rssFeed(episodes: readonly FeedEpisode[], showGuid = 'c1a0b2c3-d4e5-5f60-8a7b-9c0d1e2f3a4b'): string {
  const items = episodes
    .map((e) => `  <item><title>${e.guid}</title><guid isPermaLink="false">${e.guid}</guid><enclosure url="${e.url.replace(/&/g, '&amp;')}" length="${e.length}" type="audio/mpeg"/><itunes:duration>${e.duration}</itunes:duration></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel>
  <title>Test show</title>
  <podcast:guid>${showGuid}</podcast:guid>
${items}
</channel>
</rss>
`;
}

import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { tryParseDuration } from './duration.ts';

export interface CatalogEpisode {
  episode_id: string;
  url: string;
  file_size?: number;
  duration_s?: number;
}

export interface SkippedItem {
  item: string;
  reason: string;
}

export type ParsedFeed =
  | { ok: true; show_id: string; title?: string; episodes: CatalogEpisode[]; skipped: SkippedItem[] }
  | { ok: false; reason: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'item' || name === 'enclosure' || name === 'atom:link',
});

type XmlNode = Record<string, unknown>;
const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An element's text, whether it came as a string or an object with attributes (`#text`). */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return textOf(value[0]);
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'];
  return undefined;
}

/** The Podcasting 2.0 namespace of `podcast:guid`: a feed's guid is UUIDv5 of its URL in it. */
const podcastNamespace = 'ead4c236-bf58-58c6-a2c6-a6b28d128cb6';

/** A show id from the feed URL, the way `podcast:guid` is made: UUIDv5, scheme and trailing slashes off. */
export function computeFeedGuid(feedUrl: string): string {
  const name = feedUrl.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const bytes = createHash('sha1').update(Buffer.from(podcastNamespace.replace(/-/g, ''), 'hex')).update(name).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An id the beacon schema takes (1-200 printable characters); others get a digest of themselves. */
function usableId(text: string): string {
  return text.length <= 200 && !/\s/.test(text) ? text : 'g_' + createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/**
 * An RSS 2.0 feed with the iTunes and Podcasting 2.0 namespaces, as the episode catalog needs
 * it: show id from `podcast:guid` (else from the feed URL), each item's `guid`, enclosure URL,
 * `length` and `itunes:duration`. Items that cannot be used are skipped with a reason; a document
 * that is not RSS is refused with one.
 */
export function parseFeed(xml: string, feedUrl?: string): ParsedFeed {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, reason: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (err) {
    return { ok: false, reason: `not well-formed XML: ${(err as Error).message}` };
  }
  const rss = doc.rss;
  if (!isNode(rss)) {
    const root = Object.keys(doc).find((k) => !k.startsWith('?'));
    return { ok: false, reason: root ? `the root element is <${root}>, not <rss> (RSS 2.0)` : 'the document has no root element' };
  }
  const channel = rss.channel;
  if (!isNode(channel)) return { ok: false, reason: '<rss> has no <channel>' };

  const selfLink = (channel['atom:link'] as unknown[] | undefined)?.find((l) => isNode(l) && l['@_rel'] === 'self') as XmlNode | undefined;
  const newFeedUrl = textOf(channel['itunes:new-feed-url'])?.trim();
  const url = feedUrl ?? (typeof selfLink?.['@_href'] === 'string' ? selfLink['@_href'] : undefined) ?? (newFeedUrl || undefined);
  const podcastGuid = textOf(channel['podcast:guid'])?.trim();
  // A feed file with neither guid nor its own URL still gets a stable id: a digest of its title and link.
  const named = [textOf(channel.title)?.trim(), textOf(channel.link)?.trim()].filter(Boolean).join('\n');
  const showId = podcastGuid ? usableId(podcastGuid) : url ? computeFeedGuid(url) : named ? 'f_' + createHash('sha256').update(named).digest('base64url').slice(0, 32) : undefined;
  if (!showId) return { ok: false, reason: 'the feed has no podcast:guid, no URL and no title (give one: JSON {"url"} or an atom:link rel="self")' };

  const episodes: CatalogEpisode[] = [];
  const skipped: SkippedItem[] = [];
  const items = (channel.item as unknown[] | undefined) ?? [];
  items.forEach((raw, i) => {
    const item = isNode(raw) ? raw : {};
    const guid = textOf(item.guid)?.trim();
    const name = guid || textOf(item.title)?.trim() || `item ${i + 1}`;
    const skip = (reason: string) => skipped.push({ item: name, reason });
    if (!guid) return skip('no guid');
    const enclosure = (item.enclosure as unknown[] | undefined)?.[0];
    const href = isNode(enclosure) ? enclosure['@_url'] : undefined;
    if (typeof href !== 'string' || href.trim() === '') return skip('no enclosure url');
    if (!/^https?:\/\/[^/]+/i.test(href.trim())) return skip(`enclosure url ${JSON.stringify(href.slice(0, 100))} is not http(s)`);
    const episode: CatalogEpisode = { episode_id: usableId(guid), url: href.trim() };
    const length = isNode(enclosure) ? enclosure['@_length'] : undefined;
    if (typeof length !== 'string' || !/^\s*\d+\s*$/.test(length)) return skip(`enclosure length ${JSON.stringify(length ?? null)} is not a byte count`);
    // Many feeds write length="0" for "unknown": the file size is then left to the log lines.
    if (Number(length) > 0) episode.file_size = Number(length);
    const duration = tryParseDuration(textOf(item['itunes:duration']));
    if (Number.isNaN(duration)) return skip(`itunes:duration ${JSON.stringify(textOf(item['itunes:duration']))} is not seconds, MM:SS or HH:MM:SS`);
    if (duration !== undefined && duration > 0) episode.duration_s = duration;
    episodes.push(episode);
  });
  const title = textOf(channel.title);
  return { ok: true, show_id: showId, ...(title ? { title } : {}), episodes, skipped };
}

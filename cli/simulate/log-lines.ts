import { tryParseRangeHeader } from '../../shared/domain/counting/range-header.ts';
import { defaultCloudFrontFields } from '../../shared/domain/intake/logs/cloudfront.ts';
import type { SimulatedBeacon } from './traffic.ts';

/** A download request as the simulator (or a test) knows it, before a CDN writes it down. */
export type LoggableRequest = Pick<SimulatedBeacon, 'ts' | 'ip' | 'user_agent' | 'method' | 'status' | 'range' | 'bytes_sent' | 'show_id' | 'episode_id' | 'file_size' | 'duration_s'> & {
  referer?: string;
};

/** Where the simulated CDN serves each episode, and the prefixed URL the feed gives for it. */
export const mediaHost = 'media.earshot-demo.example';
export const distributionHost = 'd1demo2345abcd.cloudfront.net';
export const episodePath = (r: Pick<LoggableRequest, 'show_id' | 'episode_id'>) => `/${encodeURIComponent(r.show_id)}/${encodeURIComponent(r.episode_id)}.mp3`;
export const enclosureUrl = (r: Pick<LoggableRequest, 'show_id' | 'episode_id'>) => `https://dts.podtrac.com/redirect.mp3/${mediaHost}${episodePath(r)}`;

// What a CDN adds to the body in sc-bytes: a typical response header block.
const headerBytes = 380;

const cloudFrontHeader = ['#Version: 1.0', `#Fields: ${defaultCloudFrontFields.join(' ')}`];

/** The two comment lines a CloudFront standard log file starts with. */
export const cloudFrontPreamble = (): string[] => [...cloudFrontHeader];

/** One CloudFront standard log line (tab-separated, in the order of `#Fields`). */
export function toCloudFrontLine(r: LoggableRequest, requestId: string): string {
  const [date, time] = [r.ts.slice(0, 10), r.ts.slice(11, 19)];
  const range = r.status === 206 && r.range ? tryParseRangeHeader(r.range, r.file_size) : undefined;
  const contentLength = range ? range.end - range.start + 1 : r.status === 200 ? r.file_size : 0;
  const fields: Record<string, string> = {
    date, time, 'x-edge-location': 'FRA56-P1', 'sc-bytes': String(r.bytes_sent + headerBytes), 'c-ip': r.ip, 'cs-method': r.method,
    'cs(Host)': distributionHost, 'cs-uri-stem': episodePath(r), 'sc-status': String(r.status), 'cs(Referer)': r.referer ? encodeURI(r.referer) : '-',
    'cs(User-Agent)': encodeURIComponent(r.user_agent).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%3B/g, ';').replace(/%2C/g, ','),
    'cs-uri-query': '-', 'cs(Cookie)': '-', 'x-edge-result-type': 'Hit', 'x-edge-request-id': requestId, 'x-host-header': mediaHost, 'cs-protocol': 'https',
    'cs-bytes': '220', 'time-taken': '0.012', 'x-forwarded-for': '-', 'ssl-protocol': 'TLSv1.3', 'ssl-cipher': 'TLS_AES_128_GCM_SHA256',
    'x-edge-response-result-type': 'Hit', 'cs-protocol-version': 'HTTP/2.0', 'fle-status': '-', 'fle-encrypted-fields': '-', 'c-port': '51234',
    'time-to-first-byte': '0.004', 'x-edge-detailed-result-type': 'Hit', 'sc-content-type': 'audio/mpeg', 'sc-content-len': String(contentLength),
    'sc-range-start': range ? String(range.start) : '-', 'sc-range-end': range ? String(range.end) : '-',
  };
  return defaultCloudFrontFields.map((f) => fields[f] ?? '-').join('\t');
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** One nginx combined line followed by `"$http_range"`. */
export function toCombinedLine(r: LoggableRequest): string {
  const d = new Date(r.ts);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  return `${r.ip} - - [${time}] "${r.method} ${episodePath(r)} HTTP/1.1" ${r.status} ${r.bytes_sent} ${quote(r.referer ?? '-')} ${quote(r.user_agent)} ${quote(r.range ?? '-')}`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** An RSS feed of one show's episodes as the requests saw them (size, duration), enclosures behind Podtrac. */
export function toShowFeed(show: string, episodes: ReadonlyArray<Pick<LoggableRequest, 'episode_id' | 'file_size' | 'duration_s'>>): string {
  const hms = (s: number) => `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(Math.round(s % 60)).padStart(2, '0')}`;
  const items = episodes.map(
    (e) =>
      `    <item>\n      <title>${escapeXml(e.episode_id)}</title>\n      <guid isPermaLink="false">${escapeXml(e.episode_id)}</guid>\n      <enclosure url="${escapeXml(enclosureUrl({ show_id: show, episode_id: e.episode_id }))}" length="${e.file_size}" type="audio/mpeg"/>\n      <itunes:duration>${hms(e.duration_s)}</itunes:duration>\n    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0">
  <channel>
    <title>${escapeXml(show)}</title>
    <podcast:guid>${escapeXml(show)}</podcast:guid>
${items.join('\n')}
  </channel>
</rss>
`;
}

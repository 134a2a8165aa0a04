import type { HttpRequest } from '../../platform/http/types.ts';

/** Platform id of records logged by the prefix redirect (no platform key is involved). */
export const redirectPlatform = 'redirect';

export interface RedirectTarget {
  host: string;
  path: string;
  url: string;
}

const hostName = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(:\d{1,5})?$/i;

/**
 * Where a prefix redirect (`/e/<host>/<path>`, as Podtrac or OP3 do) sends the listener:
 * `https://<host>/<path>` with the query kept. Undefined when the host is not a host name.
 */
export function tryParseRedirectTarget(path: string, query: URLSearchParams): RedirectTarget | undefined {
  const rest = path.slice('/e/'.length);
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  const filePath = slash === -1 ? '/' : rest.slice(slash);
  if (!hostName.test(host)) return undefined;
  const search = query.toString();
  return { host: host.toLowerCase(), path: filePath, url: `https://${host}${filePath}${search ? `?${search}` : ''}` };
}

/**
 * A redirect is logged as a download request of the target file: the show is the host, the
 * episode the file's path (the platform behind the redirect knows neither id).
 */
export function toRedirectRecord(target: RedirectTarget, request: HttpRequest, now: Date): Record<string, unknown> {
  const record: Record<string, unknown> = {
    type: 'download',
    ts: now.toISOString(),
    show_id: target.host,
    episode_id: target.path.length <= 200 ? target.path : target.path.slice(0, 200),
    ip: request.clientIp ?? '',
    user_agent: String(request.headers['user-agent'] ?? ''),
    method: request.method,
  };
  const range = request.headers.range;
  if (typeof range === 'string') record.range = range;
  const referer = request.headers.referer;
  if (typeof referer === 'string') record.referer = referer.slice(0, 2000);
  return record;
}

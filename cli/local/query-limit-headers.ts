import type { IncomingHttpHeaders } from 'node:http';
import type { QueryLimits } from '../../shared/adapters/local/duckdb-read-query.ts';

// `earshot query` passes its limits to `/_local/query` so a flag such as `--max-rows 10` means the
// same with or without a server; the server takes them only where they are tighter than its own.
const headerOf: Record<keyof QueryLimits, string> = { maxRows: 'x-earshot-max-rows', maxBytes: 'x-earshot-max-bytes', timeoutMs: 'x-earshot-timeout-ms' };

export function toQueryLimitHeaders(limits: QueryLimits): Record<string, string> {
  return Object.fromEntries((Object.keys(headerOf) as Array<keyof QueryLimits>).map((k) => [headerOf[k], String(limits[k])]));
}

/** The server's limits, each lowered to what the request asks for when that is a smaller whole number. */
export function tightenQueryLimits(headers: IncomingHttpHeaders, own: QueryLimits): QueryLimits {
  const out = { ...own };
  for (const k of Object.keys(headerOf) as Array<keyof QueryLimits>) {
    const asked = Number(headers[headerOf[k]]);
    if (Number.isSafeInteger(asked) && asked >= 0 && asked < own[k]) out[k] = asked;
  }
  return out;
}

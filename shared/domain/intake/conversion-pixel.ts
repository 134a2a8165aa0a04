import type { FieldError } from '../../contracts/schemas/validator.ts';

const recordParameters = ['event', 'value', 'currency', 'order_id'] as const;
const known = new Set<string>(['advertiser', 'cb', ...recordParameters]);
const decimal = /^\d+(\.\d+)?$/;

/** A conversion pixel request as a record to validate, with its advertiser and parameter errors. */
export interface PixelConversion {
  advertiser: string | undefined;
  record: Record<string, unknown>;
  errors: FieldError[];
}

/**
 * The conversion a pixel describes (`GET /conversion/p?advertiser=…&event=…&value=…&currency=…&order_id=…`),
 * at the time it was received; IP and User-Agent come from the request. `cb` (cache buster) is
 * ignored; other unknown parameters are refused, like unknown fields.
 */
export function toPixelConversion(query: URLSearchParams, clientIp: string, userAgent: string, now: Date): PixelConversion {
  const record: Record<string, unknown> = { ts: now.toISOString(), ip: clientIp, user_agent: userAgent };
  const errors: FieldError[] = [];
  for (const name of query.keys()) if (!known.has(name)) errors.push({ path: `query/${name}`, rule: 'additionalProperties', message: 'is not a known parameter' });
  for (const name of recordParameters) {
    const value = query.get(name);
    if (value !== null) record[name] = value;
  }
  // A number in the query string is text; one that is not a plain decimal stays text and is refused.
  if (typeof record.value === 'string' && decimal.test(record.value)) record.value = Number(record.value);
  return { advertiser: query.get('advertiser') ?? undefined, record, errors };
}

/** Where a pixel's record error came from: a query parameter, the client address or a header. */
export function toPixelErrorPath(recordPath: string): string {
  if (recordPath === '/ip') return 'request/client_ip';
  if (recordPath === '/user_agent') return 'headers/user-agent';
  const name = recordPath.slice(1).split('/')[0] ?? '';
  return (recordParameters as readonly string[]).includes(name) ? `query/${recordPath.slice(1)}` : recordPath;
}

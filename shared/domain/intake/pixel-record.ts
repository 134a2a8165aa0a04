import type { FieldError } from '../../contracts/schemas/validator.ts';

/** Query parameters of a client pixel and the record fields they fill (short and long names). */
const fields: ReadonlyArray<[string[], string]> = [
  [['show', 'show_id'], 'show_id'],
  [['episode', 'episode_id'], 'episode_id'],
  [['id', 'event_id'], 'event_id'],
  [['ts'], 'ts'],
  [['referer'], 'referer'],
];

const known = new Set(['platform', 'event', 'ad', 'ad_id', 'campaign', 'campaign_id', 'cb', ...fields.flatMap(([names]) => names)]);

/**
 * The beacon record a client pixel describes (`GET /beacon/p?platform=…&show=…&episode=…`): an
 * impression, or with `event=start|firstQuartile|…` a VAST playback event for `ad`/`campaign`.
 * IP and User-Agent come from the request. Unknown parameters are refused, like unknown fields.
 */
export function toPixelRecord(query: URLSearchParams, clientIp: string, userAgent: string, now: Date): { record: Record<string, unknown>; errors: FieldError[] } {
  const record: Record<string, unknown> = { type: 'impression', ts: now.toISOString(), ip: clientIp, user_agent: userAgent };
  const errors: FieldError[] = [];
  for (const name of query.keys()) if (!known.has(name)) errors.push({ path: `query/${name}`, rule: 'additionalProperties', message: 'is not a known parameter' });
  for (const [names, field] of fields) {
    const value = names.map((n) => query.get(n)).find((v) => v !== null);
    if (value !== undefined && value !== null) record[field] = value;
  }
  const event = query.get('event');
  if (event !== null) {
    const playback: Record<string, string> = { event };
    const ad = query.get('ad') ?? query.get('ad_id');
    const campaign = query.get('campaign') ?? query.get('campaign_id');
    if (ad !== null) playback.ad_id = ad;
    if (campaign !== null) playback.campaign_id = campaign;
    record.type = 'playback';
    record.playback = playback;
  }
  return { record, errors };
}

import { buildNdjsonBodies } from '../batch-intake.bench.ts';

/** A body to post and the key of its first record, whose arrival in the warehouse is watched. */
export interface ProbeBody {
  ndjson: string;
  /** The row's key: `beacon_events.insert_id` (platform/event_id), or `attributed_conversions.conversion_id`. */
  key: string;
}

/**
 * Realistic beacon records (the simulator's, as the batch benchmark posts them), each sent with a
 * fresh event id and the current time: every record is a new row, so the warehouse writes
 * never take the path of repeated keys.
 */
export class BeaconProbes {
  readonly #templates: Array<Record<string, unknown>>;
  readonly #platform: string;
  readonly #tag = Date.now().toString(36);
  #next = 0;

  constructor(platform: string) {
    this.#platform = platform;
    this.#templates = buildNdjsonBodies(2).flatMap((body) => body.toString('utf8').split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
  }

  body(records: number): ProbeBody {
    const ts = new Date().toISOString();
    const lines: string[] = [];
    let key = '';
    for (let i = 0; i < records; i++) {
      const n = this.#next++;
      const eventId = `fresh-${this.#tag}-${n}`;
      if (i === 0) key = `${this.#platform}/${eventId}`;
      lines.push(JSON.stringify({ ...this.#templates[n % this.#templates.length], event_id: eventId, ts }));
    }
    return { ndjson: lines.join('\n'), key };
  }
}

const probeAgent = 'AppleCoreMedia/1.0.0.21G93 (iPhone; U; CPU OS 17_6_1 like Mac OS X; en_us)';
const probeHouseholds = 50;
const householdIp = (i: number) => `198.51.100.${(i % probeHouseholds) + 1}`;

/**
 * Downloads that deliver an ad of `campaign` (whole file, counted) to a few households, so their
 * conversions are attributed and land in `attributed_conversions`.
 */
export function exposureBeacons(platform: string, advertiser: string, campaign: string): ProbeBody {
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  const tag = Date.now().toString(36);
  const ndjson = Array.from({ length: probeHouseholds }, (_, i) =>
    JSON.stringify({
      event_id: `exposure-${tag}-${i}`,
      type: 'download',
      ts,
      show_id: 'fresh-show',
      episode_id: 'fresh-episode',
      ip: householdIp(i),
      user_agent: probeAgent,
      file_size: 4_000_000,
      duration_s: 240,
      ads: [{ ad_id: `${campaign}-pre`, campaign_id: campaign, creative_id: `${campaign}-30s`, advertiser_id: advertiser, byte_start: 1000, byte_end: 400_000, position: 'pre' }],
    }),
  ).join('\n');
  // Exposures are recorded in the same transactions as the verdicts, so all are once the last row is written.
  return { ndjson, key: `${platform}/exposure-${tag}-${probeHouseholds - 1}` };
}

/** One conversion of an exposed household, with an order id of its own (the attributed row's conversion id). */
export class ConversionProbes {
  readonly #tag = Date.now().toString(36);
  #next = 0;

  body(): ProbeBody {
    const n = this.#next++;
    const orderId = `fresh-order-${this.#tag}-${n}`;
    const record = { event: 'purchase', ts: new Date().toISOString(), ip: householdIp(n), user_agent: probeAgent, value: 49.9, currency: 'USD', order_id: orderId };
    // The conversion id of an order is its order id under the `o:` namespace.
    return { ndjson: JSON.stringify(record), key: `o:${orderId}` };
  }
}

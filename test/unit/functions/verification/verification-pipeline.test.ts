import { afterEach, describe, expect, it } from 'vitest';
import { createVerificationHandler } from '../../../../functions/verification/handler.ts';
import { createWarehouseHandler } from '../../../../functions/warehouse/handler.ts';
import { DuckDbWarehouse } from '../../../../shared/adapters/local/duckdb-warehouse.ts';
import { InProcessBus } from '../../../../shared/adapters/local/in-process-bus.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import { publishFacts } from '../../../../shared/application/publish-facts.ts';
import type { DeliveryDeltaRow } from '../../../../shared/contracts/schemas/rows.ts';
import type { VerificationEvent } from '../../../../shared/contracts/schemas/verification.ts';
import { defaultViewSettings } from '../../../../shared/application/warehouse/dialect.ts';
import { fixedClock, quietLog, testConfig } from '../../../support/fixtures.ts';
import { newWebhookSecret, signedCallback } from '../../../support/webhooks.ts';

const secret = newWebhookSecret();
// The clock stands still on Nov 20 while callbacks tell of Nov 21 and 22: allow three days ahead.
const config = { ...testConfig, vendors: [{ id: 'verifier', secrets: [secret] }], intake: { max_future_s: 3 * 86_400 } };

async function pipeline(discrepancyThresholdPct = '5') {
  const warehouse = await DuckDbWarehouse.open(':memory:', { ...defaultViewSettings, discrepancyThresholdPct });
  const bus = new InProcessBus({ maxAttempts: 2, backoffMs: () => 1, onUndeliverable: async (m) => void quietLog.error(m.reason) });
  const runtime = { config, bus, state: new MemoryStateStore(() => fixedClock.now().getTime()), warehouse, clock: fixedClock, log: quietLog };
  bus.subscribe('facts', 'warehouse', createWarehouseHandler(runtime));
  return { warehouse, bus, verification: createVerificationHandler(runtime) };
}

/** An ad-level delivery_deltas row: `ads` deliveries of campaign `campaign` in `hour`. */
function delta(batch: string, hour: string, campaign: string | undefined, ads: number): DeliveryDeltaRow {
  const row: DeliveryDeltaRow = {
    insert_id: `${batch}/${hour}/${campaign ?? 'requests'}`,
    batch_id: batch,
    hour,
    platform: 'p1',
    show_id: 'show-1',
    episode_id: 'ep-1',
    requests: ads,
    downloads: ads,
    listeners_first_seen: 0,
    ads_delivered: campaign ? ads : 0,
    ghost_ads_delivered: 0,
    bot_requests: 0,
  };
  if (campaign) row.campaign_id = campaign;
  return row;
}

/** `count` vendor verdicts of one category on a campaign-day, with distinct impression ids. */
function verdicts(campaign: string, day: string, ivt: VerificationEvent['ivt'], count: number): VerificationEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const event: VerificationEvent = { impression_id: `${campaign}-${day}-${ivt}-${i}`, campaign_id: campaign, measured_at: `${day}T10:30:00Z`, ivt };
    if (ivt !== 'valid') event.reasons = [ivt === 'givt' ? 'data_center' : 'hijacked_device'];
    return event;
  });
}

describe('verification -> warehouse -> verification_discrepancy on the local adapters', () => {
  let warehouse: DuckDbWarehouse | undefined;
  afterEach(async () => warehouse?.close());

  it('stores each vendor verdict once and compares it with Earshot per campaign and day', async () => {
    const p = await pipeline();
    warehouse = p.warehouse;
    // Earshot: camp-1 delivered 60 + 40 on the 20th (one batch delivered twice), 50 on the 21st; camp-2
    // (no vendor) 20; a request-level row without a campaign never counts as an ad delivery.
    const deltas = [delta('b1', '2026-11-20T10:00:00.000Z', 'camp-1', 60), delta('b1', '2026-11-20T11:00:00.000Z', 'camp-1', 40), delta('b1', '2026-11-20T10:00:00.000Z', undefined, 500)];
    await publishFacts(p.bus, 'delivery_deltas', deltas);
    await publishFacts(p.bus, 'delivery_deltas', deltas);
    await publishFacts(p.bus, 'delivery_deltas', [delta('b2', '2026-11-21T09:00:00.000Z', 'camp-1', 50), delta('b2', '2026-11-20T09:00:00.000Z', 'camp-2', 20)]);

    // The vendor: 90 impressions on the 20th (80 valid, 6 GIVT, 4 SIVT) in two callbacks, the
    // second delivered twice; 48 on the 21st; 5 on the 22nd, when Earshot delivered nothing.
    const day20 = [...verdicts('camp-1', '2026-11-20', 'valid', 80), ...verdicts('camp-1', '2026-11-20', 'givt', 6), ...verdicts('camp-1', '2026-11-20', 'sivt', 4)];
    const callbacks = [
      { id: 'msg_1', events: day20.slice(0, 50) },
      { id: 'msg_2', events: day20.slice(50) },
      { id: 'msg_2', events: day20.slice(50) },
      { id: 'msg_3', events: verdicts('camp-1', '2026-11-21', 'valid', 48) },
      { id: 'msg_4', events: verdicts('camp-1', '2026-11-22', 'valid', 5) },
    ];
    for (const { id, events } of callbacks) {
      const response = await p.verification(signedCallback('verifier', JSON.stringify({ events }), { secret, webhookId: id }));
      expect(response.status).toBe(204);
    }
    await p.bus.drain();

    const stored = await p.warehouse.query('SELECT ivt, count(*) AS n FROM verification_events GROUP BY 1 ORDER BY 1');
    expect(stored.rows).toEqual([
      { ivt: 'givt', n: 6 },
      { ivt: 'sivt', n: 4 },
      { ivt: 'valid', n: 133 },
    ]);
    const { rows } = await p.warehouse.query(
      `SELECT campaign_id, CAST(day AS VARCHAR) AS day, vendor, earshot_ad_deliveries, vendor_impressions, valid_impressions,
         givt_impressions, sivt_impressions, round(valid_share, 4) AS valid_share, round(givt_rate, 4) AS givt_rate,
         round(sivt_rate, 4) AS sivt_rate, discrepancy_pct, CAST(threshold_pct AS DOUBLE) AS threshold_pct, exceeds_threshold
       FROM verification_discrepancy ORDER BY campaign_id, day`,
    );
    const common = { campaign_id: 'camp-1', vendor: 'verifier', threshold_pct: 5 };
    expect(rows).toEqual([
      {
        ...common,
        day: '2026-11-20',
        earshot_ad_deliveries: 100,
        vendor_impressions: 90,
        valid_impressions: 80,
        givt_impressions: 6,
        sivt_impressions: 4,
        valid_share: 0.8889,
        givt_rate: 0.0667,
        sivt_rate: 0.0444,
        // Against the vendor's impressions net of GIVT: (100 - 84) / 100.
        discrepancy_pct: 16,
        exceeds_threshold: true,
      },
      { ...common, day: '2026-11-21', earshot_ad_deliveries: 50, vendor_impressions: 48, valid_impressions: 48, givt_impressions: 0, sivt_impressions: 0, valid_share: 1, givt_rate: 0, sivt_rate: 0, discrepancy_pct: 4, exceeds_threshold: false },
      { ...common, day: '2026-11-22', earshot_ad_deliveries: 0, vendor_impressions: 5, valid_impressions: 5, givt_impressions: 0, sivt_impressions: 0, valid_share: 1, givt_rate: 0, sivt_rate: 0, discrepancy_pct: null, exceeds_threshold: true },
    ]);
  });

  it('shows a day Earshot delivered and the vendor measured nothing as a full discrepancy', async () => {
    const p = await pipeline();
    warehouse = p.warehouse;
    await publishFacts(p.bus, 'delivery_deltas', [delta('b1', '2026-11-20T10:00:00.000Z', 'camp-1', 10), delta('b1', '2026-11-21T10:00:00.000Z', 'camp-1', 10)]);
    const response = await p.verification(signedCallback('verifier', JSON.stringify({ events: verdicts('camp-1', '2026-11-20', 'valid', 10) }), { secret }));
    expect(response.status).toBe(204);
    await p.bus.drain();
    const { rows } = await p.warehouse.query('SELECT CAST(day AS VARCHAR) AS day, vendor_impressions, discrepancy_pct, exceeds_threshold FROM verification_discrepancy ORDER BY day');
    expect(rows).toEqual([
      { day: '2026-11-20', vendor_impressions: 10, discrepancy_pct: 0, exceeds_threshold: false },
      { day: '2026-11-21', vendor_impressions: 0, discrepancy_pct: 100, exceeds_threshold: true },
    ]);
  });

  it('flags against the configured threshold', async () => {
    const p = await pipeline('12.5');
    warehouse = p.warehouse;
    await publishFacts(p.bus, 'delivery_deltas', [delta('b1', '2026-11-20T10:00:00.000Z', 'camp-1', 100), delta('b1', '2026-11-21T10:00:00.000Z', 'camp-1', 100)]);
    const events = [...verdicts('camp-1', '2026-11-20', 'valid', 90), ...verdicts('camp-1', '2026-11-21', 'valid', 87)];
    expect((await p.verification(signedCallback('verifier', JSON.stringify({ events }), { secret }))).status).toBe(204);
    await p.bus.drain();
    const { rows } = await p.warehouse.query('SELECT CAST(day AS VARCHAR) AS day, discrepancy_pct, threshold_pct, exceeds_threshold FROM verification_discrepancy ORDER BY day');
    expect(rows).toEqual([
      { day: '2026-11-20', discrepancy_pct: 10, threshold_pct: 12.5, exceeds_threshold: false },
      { day: '2026-11-21', discrepancy_pct: 13, threshold_pct: 12.5, exceeds_threshold: true },
    ]);
  });
});

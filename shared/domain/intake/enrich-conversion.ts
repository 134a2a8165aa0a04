import { stringify } from 'safe-stable-stringify';
import { computeAssignment, tryHouseholdIdentity } from '../assignment/assign-arm.ts';
import { computeHash31 } from '../counting/hash31.ts';
import type { HouseholdKeyer } from '../privacy/household-key.ts';
import { computeLookbackMonths } from '../privacy/lookback-months.ts';
import type { EnrichedConversion } from '../../contracts/schemas/conversion-message.ts';
import type { ConversionRecord } from '../../contracts/schemas/conversion-record.ts';

/** What intake needs to know of the advertiser a conversion belongs to. */
export interface ConversionContext {
  advertiser: string;
  lookbackDays: number;
  /** The advertiser's lift studies. */
  studies: ReadonlyArray<{ id: string; salt: string; holdout_share: number }>;
  source: 'pixel' | 'server';
  receivedAt: string;
}

/**
 * The id a conversion dedupes by, within its advertiser: the order id, else the event id, else a
 * keyed digest of the record's content (keyed: the record holds an IP, and a plain hash could be
 * reversed by trying every address), so a record re-sent unchanged is still one conversion.
 */
export function computeConversionId(record: ConversionRecord, advertiser: string, keyer: HouseholdKeyer): string {
  if (record.order_id !== undefined) return `o:${record.order_id}`;
  if (record.event_id !== undefined) return `e:${record.event_id}`;
  return 'h_' + keyer.contentDigest(stringify({ advertiser, ...record }) ?? '');
}

/**
 * The conversion as it travels on: no IP, but the household's key for each month the lookback
 * reaches into, a hash of the User-Agent (the exposure index's, for cross-device detection), and
 * its arm in each of the advertiser's studies (computed here, the only place the address is known).
 */
export function toEnrichedConversion(record: ConversionRecord, context: ConversionContext, keyer: HouseholdKeyer): EnrichedConversion {
  const { ip, user_agent, advertiser: _claimed, ...rest } = record;
  const householdKeys = keyer.tryHouseholdKeys(ip, computeLookbackMonths(new Date(record.ts), context.lookbackDays));
  const identity = tryHouseholdIdentity(ip);
  // The schema's `ip` format already guarantees an address; reaching this is a bug, not bad input.
  if (!householdKeys || !identity) throw new Error('validated conversion has an unusable ip');
  return {
    ...rest,
    conversion_id: computeConversionId(record, context.advertiser, keyer),
    advertiser_id: context.advertiser,
    received_at: context.receivedAt,
    source: context.source,
    household_keys: householdKeys,
    ua_hash: computeHash31(user_agent),
    arms: context.studies.map((study) => {
      const { arm, bucket } = computeAssignment(study, identity);
      return { study_id: study.id, arm, bucket };
    }),
  };
}

import { Type, type Static } from '@sinclair/typebox';
import { Id, StringEnum } from '../../../contracts/schemas/common.ts';
import type { IvtCategory, VerificationEvent } from '../../../contracts/schemas/verification.ts';
import { maxEventsPerCallback } from '../../../contracts/schemas/verification.ts';
import { validatorFor } from '../../../contracts/schemas/validator.ts';
import { checkVerificationEvents } from '../check-events.ts';
import type { MrcIvtReason } from '../ivt-reasons.ts';
import { tryRefuseTooManyEvents } from './too-many-events.ts';
import type { VendorAdapter } from './vendor-adapter.ts';

/*
 * The worked example of a vendor whose payload is shaped differently (a fictional "Acme Audio
 * Verification"): camelCase names, epoch milliseconds, upper-case verdicts, its own flag codes and
 * tri-state signals. To add a vendor format: copy this file, describe the vendor's body as a
 * typebox schema, map each item onto a VerificationEvent, add the format's name to `vendorFormats`
 * (shared/contracts/schemas/verification.ts) and the adapter to `vendorAdapters` (./index.ts), then set
 * `"format": "<name>"` on the vendor in the configuration.
 */

const AcmeResult = Type.Object({
  adId: Id,
  campaignRef: Id,
  measuredAtMs: Type.Integer({ minimum: 0, maximum: 253_402_300_799_999 }),
  verdict: StringEnum(['PASS', 'GENERAL_INVALID', 'SOPHISTICATED_INVALID']),
  flags: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,49}$' }), { maxItems: 20 })),
  geo: Type.Optional(StringEnum(['IN_GEO', 'OUT_OF_GEO', 'UNKNOWN'])),
  brandSafety: Type.Optional(StringEnum(['SAFE', 'UNSAFE', 'UNRATED'])),
  audibility: Type.Optional(StringEnum(['AUDIBLE', 'INAUDIBLE', 'UNMEASURED'])),
});

/** Acme posts `{reportId, results:[...]}`; extra fields are tolerated, as vendors add them freely. */
const AcmeReport = Type.Object({
  reportId: Type.Optional(Type.String()),
  results: Type.Array(AcmeResult, { minItems: 1, maxItems: maxEventsPerCallback }),
});
type AcmeResult = Static<typeof AcmeResult>;

const validateReport = validatorFor(AcmeReport);

const verdicts: Record<AcmeResult['verdict'], IvtCategory> = { PASS: 'valid', GENERAL_INVALID: 'givt', SOPHISTICATED_INVALID: 'sivt' };

/** Acme's flag codes that have an MRC reason; any other flag is kept as `acme:<code>`. */
const flagReasons: Record<string, MrcIvtReason> = {
  DC_TRAFFIC: 'data_center',
  SPIDER: 'known_crawler',
  BURST: 'irregular_pattern',
  NO_UA: 'unknown_user_agent',
  BOT_MIMIC: 'automated_listening',
  DEVICE_TAKEOVER: 'hijacked_device',
  SPOOFED_APP: 'app_spoofing',
  FAKE_EVENTS: 'falsified_measurement',
  GEO_TAMPER: 'manipulated_location',
};

/** A tri-state signal as a boolean, or nothing when the vendor could not tell. */
function computeSignal<T extends string>(value: T | undefined, yes: T, no: T): boolean | undefined {
  if (value === yes) return true;
  if (value === no) return false;
  return undefined;
}

function toVerificationEvent(result: AcmeResult): VerificationEvent {
  const ivt = verdicts[result.verdict];
  const event: VerificationEvent = {
    impression_id: result.adId,
    campaign_id: result.campaignRef,
    measured_at: new Date(result.measuredAtMs).toISOString(),
    ivt,
  };
  // Acme also flags valid traffic for information; only invalid traffic carries reasons here.
  const flags = result.flags ?? [];
  if (ivt !== 'valid' && flags.length) event.reasons = flags.map((flag) => flagReasons[flag] ?? `acme:${flag.toLowerCase()}`);
  const geoMatch = computeSignal(result.geo, 'IN_GEO', 'OUT_OF_GEO');
  const brandSafe = computeSignal(result.brandSafety, 'SAFE', 'UNSAFE');
  const audible = computeSignal(result.audibility, 'AUDIBLE', 'INAUDIBLE');
  if (geoMatch !== undefined) event.geo_match = geoMatch;
  if (brandSafe !== undefined) event.brand_safe = brandSafe;
  if (audible !== undefined) event.audible = audible;
  return event;
}

/** Acme's names for the canonical fields the cross-event checks can refuse. */
const acmeFields = { impression_id: 'adId', reasons: 'flags', measured_at: 'measuredAtMs' } as const;

export const acmeAdapter: VendorAdapter = {
  description: '{reportId?, results:[{adId, campaignRef, measuredAtMs, verdict: PASS|GENERAL_INVALID|SOPHISTICATED_INVALID, flags?, geo?, brandSafety?, audibility?}]}',
  tryMapBody(body, window) {
    const results = typeof body === 'object' && body !== null ? (body as { results?: unknown }).results : undefined;
    const tooMany = tryRefuseTooManyEvents(results, '/results');
    if (tooMany) return tooMany;
    const report = validateReport(body);
    if (!report.ok) return report;
    return checkVerificationEvents(report.value.results.map(toVerificationEvent), (i, field) => `/results/${i}/${acmeFields[field]}`, window);
  },
};

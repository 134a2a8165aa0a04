import type { VerificationEvent } from '../../contracts/schemas/verification.ts';
import type { FieldError, Validation } from '../../contracts/schemas/validator.ts';
import { tryCheckTime, type TimeWindow } from '../intake/time-bounds.ts';
import { computeImpressionKey } from './impression-key.ts';

/** Where a canonical field of event `index` sits in the vendor's own body (a JSON Pointer). */
export type VendorFieldPath = (index: number, field: 'impression_id' | 'reasons' | 'measured_at') => string;

/**
 * The rules across fields and events that a schema cannot say: reasons belong to invalid traffic
 * only, and one callback names an impression (beacon and ad) once (a row is keyed by vendor and
 * impression, so two verdicts in one body would leave it to chance which one is kept), and, given
 * the intake's time window, a plausible `measured_at`.
 */
export function checkVerificationEvents(events: readonly VerificationEvent[], pathOf: VendorFieldPath, window?: TimeWindow): Validation<VerificationEvent[]> {
  const errors: FieldError[] = [];
  const firstIndex = new Map<string, number>();
  events.forEach((event, i) => {
    const badTime = window && tryCheckTime(event.measured_at, pathOf(i, 'measured_at'), window);
    if (badTime) errors.push(badTime);
    if (event.ivt === 'valid' && (event.reasons?.length ?? 0) > 0) {
      errors.push({ path: pathOf(i, 'reasons'), rule: 'ivt', message: 'only givt and sivt events carry reasons' });
    }
    const key = computeImpressionKey('', event);
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, i);
    else errors.push({ path: pathOf(i, 'impression_id'), rule: 'unique', message: `repeats ${pathOf(first, 'impression_id')}` });
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: [...events] };
}

import { BeaconRecord } from '../../contracts/schemas/beacon-record.ts';
import { validatorFor, type FieldError, type Validation } from '../../contracts/schemas/validator.ts';
import { checkStudyPlacements, type StudyPlacementRules } from './check-study-placements.ts';
import { tryCheckTime, type TimeWindow } from './time-bounds.ts';

const validateShape = validatorFor(BeaconRecord);

/**
 * Schema validation plus the rules JSON Schema cannot say: an ad's byte range is ordered, a
 * playback record names its event, a record's platform (if any) is the caller's own, and (at
 * intake, given `window`) its time is plausible, and (given `studies`) a placement's study is configured
 * and covers its campaign. `earshot count` replays logs of any age with no config: neither.
 */
export function checkBeaconRecord(value: unknown, callerPlatform: string, window?: TimeWindow, studies?: StudyPlacementRules): Validation<BeaconRecord> {
  const shape = validateShape(value);
  if (!shape.ok) return shape;
  const record = shape.value;
  const errors: FieldError[] = [];
  const badTime = window && tryCheckTime(record.ts, '/ts', window);
  if (badTime) errors.push(badTime);
  record.ads?.forEach((ad, i) => {
    if (ad.byte_end < ad.byte_start) {
      errors.push({ path: `/ads/${i}/byte_end`, rule: 'byteOrder', message: 'must be >= byte_start' });
    }
  });
  if (studies) errors.push(...checkStudyPlacements(record.ads, studies));
  if (record.type === 'playback' && !record.playback) {
    errors.push({ path: '/playback', rule: 'required', message: 'is required when type is playback' });
  }
  if (record.platform !== undefined && record.platform !== callerPlatform) {
    errors.push({ path: '/platform', rule: 'callerPlatform', message: `must be the key's platform (${callerPlatform}) or left out` });
  }
  return errors.length ? { ok: false, errors } : shape;
}

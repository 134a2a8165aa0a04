import { ConversionRecord } from '../../contracts/schemas/conversion-record.ts';
import { validatorFor, type FieldError, type Validation } from '../../contracts/schemas/validator.ts';
import { tryCheckTime, type TimeWindow } from './time-bounds.ts';

const validateShape = validatorFor(ConversionRecord);

// Clocks disagree a little; a conversion further in the future than this is a mistake.
const maxClockSkewMs = 5 * 60_000;

/**
 * Schema validation plus the rules JSON Schema cannot say: the record's advertiser (if any) is the
 * caller's, its currency is the advertiser's (Earshot converts no currencies, so revenue and spend
 * stay comparable), it did not happen in the future (which would let later exposures count), and
 * not before the window's start either.
 */
export function checkConversionRecord(value: unknown, advertiser: { id: string; currency: string }, window: TimeWindow): Validation<ConversionRecord> {
  const shape = validateShape(value);
  if (!shape.ok) return shape;
  const record = shape.value;
  const errors: FieldError[] = [];
  if (record.advertiser !== undefined && record.advertiser !== advertiser.id) {
    errors.push({ path: '/advertiser', rule: 'callerAdvertiser', message: `must be the key's advertiser (${advertiser.id}) or left out` });
  }
  if (record.currency !== undefined && record.currency !== advertiser.currency) {
    errors.push({ path: '/currency', rule: 'advertiserCurrency', message: `must be the advertiser's currency (${advertiser.currency})` });
  }
  // The window's future allowance (a day, for beacons) is far too lax here: five minutes at most.
  if (Date.parse(record.ts) > window.now.getTime() + maxClockSkewMs) {
    errors.push({ path: '/ts', rule: 'notFuture', message: 'must not be in the future' });
  } else {
    const badTime = tryCheckTime(record.ts, '/ts', window);
    if (badTime) errors.push(badTime);
  }
  return errors.length ? { ok: false, errors } : shape;
}

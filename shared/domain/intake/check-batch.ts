import type { Validation } from '../../contracts/schemas/validator.ts';
import { RejectionTally, type RejectionReport } from './rejection-tally.ts';

export interface CheckedBatch<T> {
  accepted: T[];
  rejections: RejectionReport;
}

/** Checks every record of a batch, keeping the good ones and a bounded report of the rest. */
export function checkBatch<T>(records: readonly unknown[], check: (value: unknown) => Validation<T>): CheckedBatch<T> {
  const accepted: T[] = [];
  const tally = new RejectionTally();
  records.forEach((value, index) => {
    const checked = check(value);
    if (checked.ok) accepted.push(checked.value);
    else tally.add(index, checked.errors);
  });
  return { accepted, rejections: tally.report() };
}

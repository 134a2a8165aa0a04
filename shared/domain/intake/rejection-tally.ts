import { clipText } from '../../platform/http/clip-text.ts';
import type { FieldError } from '../../contracts/schemas/validator.ts';

/** Records listed with their errors in a batch reply; the rest are only counted. */
export const maxRejectedListed = 100;
/** Errors listed per record: a record with a thousand unknown fields needs no thousand lines. */
export const maxErrorsListed = 10;

export interface RejectedRecord {
  index: number;
  errors: FieldError[];
}

/** The `rejected*` fields of a batch reply (`POST /beacon/events`, `POST /conversion/events`). */
export interface RejectionReport {
  rejected: RejectedRecord[];
  rejected_count: number;
  /** Rejected records per rule broken; a record breaking several rules counts under each. */
  rejected_by_rule: Record<string, number>;
}

/**
 * Collects a batch's rejected records into a reply no larger than a constant, whatever the batch:
 * listing every error of every record let a megabyte of `{}` lines answer with 137 MB.
 */
export class RejectionTally {
  private readonly listed: RejectedRecord[] = [];
  private readonly byRule = new Map<string, number>();
  private count = 0;

  add(index: number, errors: readonly FieldError[]): void {
    this.count++;
    if (this.listed.length < maxRejectedListed) {
      const listed = errors.slice(0, maxErrorsListed).map((e) => ({ path: clipText(e.path), rule: e.rule, message: clipText(e.message) }));
      this.listed.push({ index, errors: listed });
    }
    for (const rule of new Set(errors.map((e) => e.rule))) this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + 1);
  }

  get rejectedCount(): number {
    return this.count;
  }

  report(): RejectionReport {
    const rules = [...this.byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { rejected: this.listed, rejected_count: this.count, rejected_by_rule: Object.fromEntries(rules) };
  }
}

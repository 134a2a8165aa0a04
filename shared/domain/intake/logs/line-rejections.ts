import type { FieldError } from '../../../contracts/schemas/validator.ts';

/** Lines listed with their errors in a reply; the rest are only counted (as `POST /beacon/events` does). */
export const maxRejectedLines = 100;

export interface RejectedLine {
  line: number;
  errors: FieldError[];
}

/** The `rejected*` fields of a `POST /beacon/logs` reply. */
export interface LineRejectionReport {
  rejected: RejectedLine[];
  rejected_count: number;
  /** Rejected lines per rule broken; a line breaking several counts under each. */
  rejected_by_rule: Record<string, number>;
}

/** Collects a body's rejected lines into a reply of bounded size, whatever the body. */
export class LineRejections {
  readonly #listed: RejectedLine[] = [];
  readonly #byRule = new Map<string, number>();
  #count = 0;

  add(line: number, errors: readonly FieldError[]): void {
    this.#count++;
    if (this.#listed.length < maxRejectedLines) this.#listed.push({ line, errors: errors.slice(0, 10).map((e) => ({ ...e, message: e.message.slice(0, 300) })) });
    for (const rule of new Set(errors.map((e) => e.rule))) this.#byRule.set(rule, (this.#byRule.get(rule) ?? 0) + 1);
  }

  /** Takes in the rejections of a later part of the same file, whose line 1 is line `lineOffset + 1` here. */
  merge(part: LineRejectionReport, lineOffset: number): void {
    this.#count += part.rejected_count;
    for (const r of part.rejected) if (this.#listed.length < maxRejectedLines) this.#listed.push({ line: lineOffset + r.line, errors: r.errors });
    for (const [rule, n] of Object.entries(part.rejected_by_rule)) this.#byRule.set(rule, (this.#byRule.get(rule) ?? 0) + n);
  }

  get count(): number {
    return this.#count;
  }

  report(): LineRejectionReport {
    const rules = [...this.#byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { rejected: this.#listed, rejected_count: this.#count, rejected_by_rule: Object.fromEntries(rules) };
  }
}

import { describe, expect, it } from 'vitest';
import { maxEchoedChars } from '../../../../shared/platform/http/clip-text.ts';
import { RejectionTally, maxErrorsListed, maxRejectedListed } from '../../../../shared/domain/intake/rejection-tally.ts';

const error = (rule: string, path = '/x') => ({ path, rule, message: 'is wrong' });

describe('RejectionTally', () => {
  it('reports nothing for a clean batch', () => {
    expect(new RejectionTally().report()).toEqual({ rejected: [], rejected_count: 0, rejected_by_rule: {} });
  });

  it('counts a record once per rule it breaks, however often it breaks it', () => {
    const tally = new RejectionTally();
    tally.add(0, [error('required', '/a'), error('required', '/b'), error('format')]);
    tally.add(3, [error('format')]);
    expect(tally.report()).toEqual({
      rejected: [
        { index: 0, errors: [error('required', '/a'), error('required', '/b'), error('format')] },
        { index: 3, errors: [error('format')] },
      ],
      rejected_count: 2,
      rejected_by_rule: { format: 2, required: 1 },
    });
  });

  it('lists the first records and the first errors of each, and counts all', () => {
    const tally = new RejectionTally();
    const many = Array.from({ length: 50 }, (_, i) => error('additionalProperties', `/f${i}`));
    for (let i = 0; i < 1000; i++) tally.add(i, many);
    const report = tally.report();
    expect(report.rejected).toHaveLength(maxRejectedListed);
    expect(report.rejected.every((r) => r.errors.length === maxErrorsListed)).toBe(true);
    expect(report.rejected_count).toBe(1000);
    expect(report.rejected_by_rule).toEqual({ additionalProperties: 1000 });
  });

  it('clips a path echoing a megabyte-long field name', () => {
    const tally = new RejectionTally();
    tally.add(0, [error('additionalProperties', `/${'x'.repeat(1_000_000)}`)]);
    const [listed] = tally.report().rejected;
    expect(listed?.errors[0]?.path).toHaveLength(maxEchoedChars);
    expect(listed?.errors[0]?.path.endsWith('…')).toBe(true);
  });

  it('keeps rule names that look like Object.prototype fields as plain counts', () => {
    const tally = new RejectionTally();
    tally.add(0, [error('__proto__'), error('constructor')]);
    const counts = tally.report().rejected_by_rule;
    expect(Object.keys(counts)).toEqual(['__proto__', 'constructor']);
    expect(JSON.parse(JSON.stringify(counts))).toEqual({ ['__proto__']: 1, constructor: 1 });
  });
});

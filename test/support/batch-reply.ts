import { maxEchoedChars } from '../../shared/platform/http/clip-text.ts';
import { maxErrorsListed, maxRejectedListed } from '../../shared/domain/intake/rejection-tally.ts';

/** Largest 202 batch reply: every listed record with every listed error at full length, and the counts. */
export const maxBatchReplyBytes = maxRejectedListed * (32 + maxErrorsListed * (2 * maxEchoedChars * 3 + 64)) + 64 * 1024;

/**
 * Why a body is not a batch reply `{accepted, rejected:[{index, errors}], rejected_count,
 * rejected_by_rule}` within its bounds; undefined when it is.
 */
export function describeBatchReplyProblem(body: Buffer | string): string | undefined {
  if (body.length > maxBatchReplyBytes) return `${body.length} bytes, over ${maxBatchReplyBytes}`;
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(body.toString()) as Record<string, unknown>;
  } catch {
    return `not JSON: ${body.toString().slice(0, 200)}`;
  }
  const { accepted, rejected, rejected_count: count, rejected_by_rule: byRule } = value;
  if (!Number.isInteger(accepted) || !Number.isInteger(count)) return '`accepted` or `rejected_count` is not an integer';
  if (!Array.isArray(rejected) || rejected.length > maxRejectedListed || rejected.length > Number(count)) return '`rejected` is not an array of at most 100 and at most `rejected_count`';
  const badRecord = rejected.find((r: { index?: unknown; errors?: unknown }) => !Number.isInteger(r.index) || !Array.isArray(r.errors) || r.errors.length === 0 || r.errors.length > maxErrorsListed);
  if (badRecord !== undefined) return `a rejected record is not {index, errors: 1 to ${maxErrorsListed}}: ${JSON.stringify(badRecord).slice(0, 300)}`;
  if (typeof byRule !== 'object' || byRule === null || Object.values(byRule).some((n) => !Number.isInteger(n) || n < 1 || n > Number(count))) return '`rejected_by_rule` is not counts up to `rejected_count`';
  if (Number(count) > 0 && Object.keys(byRule).length === 0) return 'records were rejected but no rule is counted';
  return undefined;
}

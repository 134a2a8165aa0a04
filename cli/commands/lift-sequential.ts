import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { describeErrors } from '../../shared/platform/config/parse-config.ts';
import { computeSequentialLook, initialSequentialState, isContinuation, type SequentialState } from '../../shared/domain/lift/sequential.ts';
import { computeLift, type ArmCounts, type LiftResult } from '../../shared/domain/lift/two-proportion.ts';
import { LiftLook } from '../../shared/contracts/schemas/lift-look.ts';
import { validatorFor, type FieldError } from '../../shared/contracts/schemas/validator.ts';
import { UsageError } from '../usage-error.ts';

const validateLook = validatorFor(LiftLook);

/** The `earshot lift` fields of a look; where `earshot lift` would refuse (an arm without conversions yet), the undefined ones are null. */
type LookFields = { [K in keyof LiftResult]: LiftResult[K] | null };

function computeLookFields(control: ArmCounts, test: ArmCounts, confidence: number): LookFields {
  const fixed = computeLift({ control, test, confidence });
  if (fixed.ok) return fixed.value;
  const pc = control.conversions / control.households;
  const pt = test.conversions / test.households;
  return {
    control_rate: pc,
    test_rate: pt,
    abs_lift: pt - pc,
    rel_lift: pc > 0 ? pt / pc - 1 : null,
    z: null,
    p_value: null,
    ci_abs: null,
    ci_rel: null,
    incremental_conversions: (pt - pc) * test.households,
  };
}

function checkArm(arm: ArmCounts, path: string): FieldError[] {
  if (arm.households < 1) return [{ path: `${path}/1`, rule: 'minimum', message: 'must be at least 1 household' }];
  if (arm.conversions > arm.households) return [{ path: `${path}/0`, rule: 'range', message: `must be at most the households (${arm.households})` }];
  return [];
}

/**
 * `earshot lift --sequential` (DESIGN.md §4): cumulative looks on `input`, one result per look on
 * `output`, each with the always-valid p-value and confidence sequence of its study so far. Looks
 * are grouped by `study` (absent: one study); a look whose counts fall below the previous look of
 * its study starts that study's sequence again, so one stream may carry study after study.
 * A bad line stops the run with a UsageError naming the line and field (exit 2).
 */
export async function runSequentialLift(confidence: number, input: Readable, output: Writable): Promise<number> {
  if (!(confidence > 0 && confidence < 1)) throw new UsageError('--confidence must be between 0 and 1, e.g. 0.95');
  const states = new Map<string, SequentialState>();
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new UsageError(`line ${lineNumber}: not JSON; each line is {"study"?, "control": [x, n], "test": [y, m]}`);
    }
    const checked = validateLook(parsed);
    const errors = checked.ok ? [] : checked.errors;
    const look = checked.ok ? checked.value : undefined;
    const control = look ? { conversions: look.control[0], households: look.control[1] } : undefined;
    const test = look ? { conversions: look.test[0], households: look.test[1] } : undefined;
    if (control && test) errors.push(...checkArm(control, '/control'), ...checkArm(test, '/test'));
    if (errors.length || !look || !control || !test) throw new UsageError(`line ${lineNumber}: ${describeErrors(errors)}`);
    const key = look.study ?? '';
    const previous = states.get(key) ?? initialSequentialState;
    const { look: sequential, state } = computeSequentialLook(isContinuation(previous, control, test) ? previous : initialSequentialState, control, test, confidence);
    states.set(key, state);
    const result = { ...(look.study === undefined ? {} : { study: look.study }), ...computeLookFields(control, test, confidence), ...sequential };
    output.write(JSON.stringify(result) + '\n');
  }
  return 0;
}

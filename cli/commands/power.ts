import { parseArgs } from 'node:util';
import { describeErrors } from '../../shared/platform/config/parse-config.ts';
import { computePowerPlan, type PowerInput } from '../../shared/domain/lift/power.ts';
import { UsageError } from '../usage-error.ts';

export const powerUsage = 'earshot power --baseline P --mde REL [--alpha 0.05] [--power 0.8] [--holdout 0.1] [--households N]';

function parseNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** The command line as the planner's input; a UsageError names the option that is wrong. */
export function parsePowerArgs(args: string[]): PowerInput {
  const names = ['baseline', 'mde', 'alpha', 'power', 'holdout', 'households'] as const;
  const { values } = parseArgs({ args, options: Object.fromEntries(names.map((n) => [n, { type: 'string' }])), strict: true, allowPositionals: false });
  const read = (name: (typeof names)[number]) => parseNumber(name, values[name] as string | undefined);
  const baseline = read('baseline');
  if (baseline === undefined) throw new UsageError('--baseline is required: the control conversion rate, e.g. 0.02');
  const mde = read('mde');
  const households = read('households');
  return {
    baseline,
    alpha: read('alpha') ?? 0.05,
    power: read('power') ?? 0.8,
    holdout: read('holdout') ?? 0.1,
    ...(mde === undefined ? {} : { mde }),
    ...(households === undefined ? {} : { totalHouseholds: households }),
  };
}

/**
 * `earshot power` (DESIGN.md §4): households a holdout study needs, as one JSON object on stdout.
 * With `--households` too it answers the power those households give; with `--households` and no
 * `--mde`, the smallest relative lift they detect at `--power`.
 */
export async function runPower(args: string[]): Promise<number> {
  const result = computePowerPlan(parsePowerArgs(args));
  if (!result.ok) throw new UsageError(describeErrors(result.errors.map((e) => ({ path: `--${e.path.slice(1)}`, message: e.message }))));
  process.stdout.write(JSON.stringify(result.value) + '\n');
  return 0;
}

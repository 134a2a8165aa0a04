import { parseArgs } from 'node:util';
import { describeErrors } from '../../shared/platform/config/parse-config.ts';
import { computeLift, type ArmCounts, type LiftInput } from '../../shared/domain/lift/two-proportion.ts';
import { UsageError } from '../usage-error.ts';
import { runSequentialLift } from './lift-sequential.ts';

export const liftUsage = 'earshot lift --control X/N --test Y/M [--confidence 0.95] [--exposed-share E] | earshot lift --sequential [--confidence 0.95] < looks.ndjson';

/** `X/N`: X converting households out of N, both whole numbers. */
function parseArm(name: string, value: string | undefined): ArmCounts {
  if (value === undefined) throw new UsageError(`--${name} is required, as CONVERSIONS/HOUSEHOLDS (e.g. 120/5000)`);
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!match) throw new UsageError(`--${name} must be CONVERSIONS/HOUSEHOLDS with whole numbers (e.g. 120/5000), got ${JSON.stringify(value)}`);
  return { conversions: Number(match[1]), households: Number(match[2]) };
}

function parseFraction(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** The command line as the statistics' input; a UsageError names the option that is wrong. */
export function parseLiftArgs(args: string[]): LiftInput {
  const { values } = parseArgs({
    args,
    options: { control: { type: 'string' }, test: { type: 'string' }, confidence: { type: 'string' }, 'exposed-share': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const exposedShare = parseFraction('exposed-share', values['exposed-share']);
  return {
    control: parseArm('control', values.control),
    test: parseArm('test', values.test),
    confidence: parseFraction('confidence', values.confidence) ?? 0.95,
    ...(exposedShare === undefined ? {} : { exposedShare }),
  };
}

/** A statistics field path as the option a user typed: `/control/conversions` -> `--control conversions`. */
function toOptionName(path: string): string {
  const [, field = '', part] = path.split('/');
  const option = field === '' ? 'input' : `--${field.replaceAll('_', '-')}`;
  return part ? `${option} ${part}` : option;
}

/**
 * `earshot lift` (README.md, Commands): a holdout study's lift from the arms' counts, as one JSON object
 * on stdout; input where a figure would be undefined (an arm without conversions, ...) exits 2.
 * `--sequential` reads looks from stdin instead (lift-sequential.ts).
 */
export async function runLift(args: string[]): Promise<number> {
  if (args.includes('--sequential')) {
    const { values } = parseArgs({ args, options: { sequential: { type: 'boolean' }, confidence: { type: 'string' } }, strict: true, allowPositionals: false });
    return runSequentialLift(parseFraction('confidence', values.confidence) ?? 0.95, process.stdin, process.stdout);
  }
  const result = computeLift(parseLiftArgs(args));
  if (!result.ok) {
    throw new UsageError(describeErrors(result.errors.map((e) => ({ path: toOptionName(e.path), message: e.message }))));
  }
  process.stdout.write(JSON.stringify(result.value) + '\n');
  return 0;
}

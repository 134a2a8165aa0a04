import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { describeErrors, tryParseConfig } from '../../shared/config/parse-config.ts';
import type { EarshotConfig } from '../../shared/schemas/config.ts';
import { forEachLimited, postWithRetry } from '../simulate/sender.ts';
import { simulateTraffic, type SimulatedDay } from '../simulate/traffic.ts';
import { parseIntegerOption, UsageError } from '../usage-error.ts';

export const simulateUsage = 'earshot simulate [--url http://localhost:8080] [--listeners 1000] [--days 3] [--seed 1] [--start 2026-11-01] [--data .earshot]';

const batchSize = 1000;

interface Totals {
  beacons: number;
  verifications: number;
  conversions: number;
}

/**
 * `earshot simulate`: sends deterministic, realistic traffic to a running Earshot (by default
 * the local `earshot start`): hosting-platform logs, the vendor's signed callbacks and the
 * advertiser's conversions. The same `--seed` sends the same traffic. Keys come from the config
 * in the data folder (the demo config `earshot start` wrote).
 */
export async function runSimulate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string', default: 'http://localhost:8080' },
      listeners: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      start: { type: 'string', default: '2026-11-01' },
      data: { type: 'string', default: '.earshot' },
      config: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const listeners = parseIntegerOption('listeners', values.listeners, 1000, 10_000_000);
  const days = parseIntegerOption('days', values.days, 3, 366);
  const seed = parseIntegerOption('seed', values.seed, 1);
  const start = new Date(`${values.start}T00:00:00Z`);
  if (Number.isNaN(start.getTime())) throw new UsageError(`--start must be a date (YYYY-MM-DD), got ${JSON.stringify(values.start)}`);
  const config = readConfig(values.config ?? join(values.data, 'config.json'));
  const platformKey = config.platforms[0]?.keys[0];
  if (!platformKey) throw new UsageError('the config has no platform key to send beacons with');
  const base = values.url.replace(/\/$/, '');

  const bar = new cliProgress.SingleBar(
    { format: 'simulating {bar} day {value}/{total} | {beacons} beacons, {verifications} callbacks, {conversions} conversions', stream: process.stderr, noTTYOutput: !values.quiet, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  const totals: Totals = { beacons: 0, verifications: 0, conversions: 0 };
  bar.start(days, 0, totals);
  const traffic = simulateTraffic({ listeners, days, seed, start, isControl: () => false });
  for (const day of traffic) {
    await sendDay(base, platformKey, day, totals, () => bar.update(totals));
    bar.increment(1, totals);
  }
  bar.stop();
  process.stdout.write(JSON.stringify({ url: base, seed, listeners, days, sent: totals }) + '\n');
  return 0;
}

function readConfig(path: string): EarshotConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the config ${path}: run earshot start first, or give --config`);
  }
  const parsed = tryParseConfig(text);
  if (!parsed.ok) throw new UsageError(`config ${path} is invalid: ${describeErrors(parsed.errors)}`);
  return parsed.value;
}

async function sendDay(base: string, platformKey: string, day: SimulatedDay, totals: Totals, progress: () => void): Promise<void> {
  const batches: string[] = [];
  for (let i = 0; i < day.beacons.length; i += batchSize) batches.push(day.beacons.slice(i, i + batchSize).map((b) => JSON.stringify(b)).join('\n'));
  await forEachLimited(batches, 4, async (ndjson) => {
    const result = await postWithRetry(`${base}/beacon/events`, ndjson, { authorization: `Bearer ${platformKey}`, 'content-type': 'application/x-ndjson' }, true);
    const answer = JSON.parse(result.body) as { accepted: number; rejected: unknown[] };
    if (answer.rejected.length) throw new Error(`the simulator sent invalid records: ${JSON.stringify(answer.rejected[0])}`);
    totals.beacons += answer.accepted;
    progress();
  });
}

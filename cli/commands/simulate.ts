import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { createStudyAssigner } from '../simulate/holdout.ts';
import { forEachLimited, postWithRetry } from '../simulate/sender.ts';
import { waitForPipeline } from '../simulate/settle.ts';
import { simulateTraffic, type SimulatedConversion, type SimulatedDay, type SimulatedVerification } from '../simulate/traffic.ts';
import { signCallback } from '../simulate/vendor-callback.ts';
import { writeTrafficLogs } from '../simulate/write-logs.ts';
import { readConfigFile } from '../read-config-file.ts';
import { parseIntegerOption, UsageError } from '../usage-error.ts';

export const simulateUsage =
  'earshot simulate [--url http://localhost:8080] [--listeners 1000] [--days 3] [--seed 1] [--start 2026-11-01] [--data .earshot] [--config FILE] [--settle 15] [--quiet] [--logs DIR]';

const batchSize = 1000;

/** Where the simulated traffic goes, and the keys it is sent with. */
interface Target {
  base: string;
  seed: number;
  platformKey: string;
  vendor: { id: string; secret: string } | undefined;
  advertiserKey: string | undefined;
}

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
      settle: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      logs: { type: 'string' },
    },
    strict: true,
  });
  const listeners = parseIntegerOption('listeners', values.listeners, 1000, 10_000_000);
  const days = parseIntegerOption('days', values.days, 3, 366);
  const seed = parseIntegerOption('seed', values.seed, 1);
  const start = new Date(`${values.start}T00:00:00Z`);
  if (Number.isNaN(start.getTime())) throw new UsageError(`--start must be a date (YYYY-MM-DD), got ${JSON.stringify(values.start)}`);
  if (values.logs !== undefined) {
    // Written, not sent: CDN logs and feeds for `earshot feeds add` and `earshot ingest`.
    const studies = values.config ? readConfigFile(values.config).studies : [];
    const written = await writeTrafficLogs(values.logs, (function* () {
      for (const day of simulateTraffic({ listeners, days, seed, start, assignStudy: createStudyAssigner(studies) })) yield day;
    })());
    process.stdout.write(JSON.stringify({ seed, listeners, days, written }) + '\n');
    return 0;
  }
  const config = readConfigFile(values.config ?? join(values.data, 'config.json'));
  const platformKey = config.platforms[0]?.keys[0];
  if (!platformKey) throw new UsageError('the config has no platform key to send beacons with');
  const settleSeconds = parseIntegerOption('settle', values.settle, 15, 3600);
  const vendor = config.vendors[0];
  // The simulation signs as the vendor, so it needs a shared secret: a whpk_ public key cannot sign.
  const vendorSecret = vendor?.secrets.find((secret) => secret.startsWith('whsec_'));
  const target: Target = {
    base: values.url.replace(/\/$/, ''),
    seed,
    platformKey,
    vendor: vendor && vendorSecret ? { id: vendor.id, secret: vendorSecret } : undefined,
    advertiserKey: config.advertisers.find((a) => a.id === 'demo-advertiser')?.keys[0],
  };

  const bar = new cliProgress.SingleBar(
    { format: 'simulating {bar} {value}/{total} steps | {beacons} beacons, {verifications} callbacks, {conversions} conversions', stream: process.stderr, noTTYOutput: !values.quiet, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  const totals: Totals = { beacons: 0, verifications: 0, conversions: 0 };
  // One step per day, one to let the pipeline settle, one for the conversions.
  bar.start(days + 2, 0, totals);
  const traffic = simulateTraffic({ listeners, days, seed, start, assignStudy: createStudyAssigner(config.studies) });
  const conversions: SimulatedConversion[] = [];
  let dayIndex = 0;
  for (const day of traffic) {
    await sendBeacons(target, day, totals, () => bar.update(totals));
    await sendVerifications(target, dayIndex++, day.verifications, totals);
    conversions.push(...day.conversions);
    bar.increment(1, totals);
  }
  // Attribution is real time: a conversion matches the exposures recorded when it arrives, so the
  // conversions go once every exposure is in, which makes the attributed numbers reproducible.
  await waitForPipeline(target.base, values.data, settleSeconds);
  bar.increment(1, totals);
  await sendConversions(target, conversions, totals);
  bar.increment(1, totals);
  bar.stop();
  process.stdout.write(JSON.stringify({ url: target.base, seed, listeners, days, sent: totals }) + '\n');
  return 0;
}

async function sendBeacons(target: Target, day: SimulatedDay, totals: Totals, progress: () => void): Promise<void> {
  const batches = chunk(day.beacons, batchSize).map((batch) => batch.map((b) => JSON.stringify(b)).join('\n'));
  await forEachLimited(batches, 4, async (ndjson) => {
    const result = await postWithRetry(`${target.base}/beacon/events`, ndjson, { authorization: `Bearer ${target.platformKey}`, 'content-type': 'application/x-ndjson' }, true);
    totals.beacons += acceptedCount(result.body);
    progress();
  });
}

/** The vendor's verdicts, signed as its callbacks; webhook ids are fixed by seed, day and batch. */
async function sendVerifications(target: Target, dayIndex: number, verifications: SimulatedVerification[], totals: Totals): Promise<void> {
  const { vendor } = target;
  if (!vendor) return;
  const callbacks = chunk(verifications, batchSize).map((events, n) => ({ webhookId: `msg_sim_${target.seed}_${dayIndex}_${n}`, events }));
  await forEachLimited(callbacks, 4, async ({ webhookId, events }) => {
    const body = JSON.stringify({ events });
    await postWithRetry(`${target.base}/verification/${encodeURIComponent(vendor.id)}`, body, signCallback(vendor.secret, webhookId, Buffer.from(body), new Date()));
    totals.verifications += events.length;
  });
}

async function sendConversions(target: Target, conversions: SimulatedConversion[], totals: Totals): Promise<void> {
  const { advertiserKey } = target;
  if (!advertiserKey) return;
  await forEachLimited(chunk(conversions, batchSize), 4, async (batch) => {
    const ndjson = batch.map((c) => JSON.stringify(c)).join('\n');
    const result = await postWithRetry(`${target.base}/conversion/events`, ndjson, { authorization: `Bearer ${advertiserKey}`, 'content-type': 'application/x-ndjson' }, true);
    totals.conversions += acceptedCount(result.body);
  });
}

/** The `accepted` count of a 202; a rejected record is the simulator's own bug, so it stops the run. */
function acceptedCount(body: string): number {
  const answer = JSON.parse(body) as { accepted: number; rejected: unknown[] };
  if (answer.rejected.length) throw new Error(`the simulator sent invalid records: ${JSON.stringify(answer.rejected[0])}`);
  return answer.accepted;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

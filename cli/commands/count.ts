import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { describeErrors } from '../../shared/platform/config/parse-config.ts';
import { CountingEngine } from '../../shared/domain/counting/engine/counting-engine.ts';
import { computeEpochSeconds } from '../../shared/domain/counting/parse-timestamp.ts';
import type { WindowMode } from '../../shared/domain/counting/windows.ts';
import { checkBeaconRecord } from '../../shared/domain/intake/check-beacon-record.ts';
import { toEnrichedBeacon } from '../../shared/domain/intake/enrich-beacon.ts';
import { HouseholdKeyer } from '../../shared/domain/privacy/household-key.ts';
import { isAppleWatch } from '../../shared/domain/ua/classifier.ts';
import { loadUaClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { screenDatacenter } from '../../shared/domain/traffic/datacenter-rule.ts';
import { computeTrafficRules } from '../../shared/domain/traffic/traffic-rules.ts';
import { VolumeTallies } from '../../shared/domain/traffic/volume-anomalies.ts';
import { UsageError } from '../usage-error.ts';
import { toTerminalJson } from '../terminal-text.ts';
import { sharedIpLookup } from '../../shared/adapters/data/packaged-ip-lookup.ts';

export const countUsage = 'earshot count [--window calendar|rolling|extending] [--keep-first-two-bytes] [--ua-list DIR] < records.ndjson';

const windowModes: readonly WindowMode[] = ['calendar', 'rolling', 'extending'];
const forgetEvery = 100_000;

/**
 * `earshot count`: beacon records (NDJSON, the `POST /beacon/events` schema) on stdin, one verdict
 * per record on stdout, by the counting engine: the `count` function applies the same rules to its
 * household documents, and one property test holds both to them. A record without `event_id`
 * is named `line-<n>`. Stops with exit code 2 at the first line that is not a valid record, after
 * printing the verdicts of the lines before it (a filter's output stays in step with its input).
 */
export async function runCount(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { window: { type: 'string', default: 'calendar' }, 'ua-list': { type: 'string' }, 'keep-first-two-bytes': { type: 'boolean', default: false } },
    strict: true,
  });
  const window = values.window as WindowMode;
  if (!windowModes.includes(window)) throw new UsageError(`--window must be one of ${windowModes.join(', ')}, got ${JSON.stringify(values.window)}`);
  const classifier = await loadUaClassifier(values['ua-list']);
  if (!classifier.ok) throw new UsageError(`--ua-list: ${describeErrors(classifier.errors)}`);
  const ua = classifier.value;
  const engine = new CountingEngine({ window, keepFirstTwoBytes: values['keep-first-two-bytes'] }, (agent) => ({
    bot: ua.classify(agent).bot,
    appleWatch: isAppleWatch(agent),
  }));
  // The same data-centre and volume rules, at their defaults, as the count function applies.
  const traffic = computeTrafficRules(undefined);
  const tallies = new VolumeTallies(traffic);
  // Household keys only need to be stable within this run; the key never leaves memory.
  const keyer = new HouseholdKeyer(randomBytes(32).toString('base64'));
  const receivedAt = new Date().toISOString();

  let line = 0;
  let latest = 0;
  const out: string[] = [];
  const refuse = (reason: string): never => {
    flush(out);
    throw new UsageError(`line ${line}: ${reason}`);
  };
  for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return refuse(`invalid JSON: ${(err as Error).message}`);
    }
    const platform = typeof value === 'object' && value !== null && 'platform' in value && typeof value.platform === 'string' ? value.platform : 'cli';
    const checked = checkBeaconRecord(value, platform);
    if (!checked.ok) return refuse(describeErrors(checked.errors));
    const record = checked.value.event_id ? checked.value : { ...checked.value, event_id: `line-${line}` };
    const beacon = toEnrichedBeacon(record, platform, receivedAt, keyer, sharedIpLookup());
    const ts = Date.parse(record.ts) / 1000;
    const windowed = screenDatacenter(engine.count(beacon), beacon.datacenter, ua.classify(beacon.user_agent).name, traffic);
    const verdict = windowed.counted
      ? tallies.screen(windowed, { platform: beacon.platform, household_key: beacon.household_key, episode_id: beacon.episode_id, event_id: beacon.event_id, ts: computeEpochSeconds(record.ts) })
      : windowed;
    out.push(toTerminalJson({ event_id: verdict.event_id, counted: verdict.counted, reason: verdict.reason, ads_delivered: verdict.ads_delivered, ghost_ads_delivered: verdict.ghost_ads_delivered }));
    if (out.length >= 1000) flush(out);
    if (ts > latest) latest = ts;
    if (line % forgetEvery === 0) {
      engine.forgetBefore(latest - 2 * 86_400);
      tallies.forgetBefore(latest - 2 * 86_400);
    }
  }
  flush(out);
  return 0;
}

function flush(lines: string[]): void {
  if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  lines.length = 0;
}

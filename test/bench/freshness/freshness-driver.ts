import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../stats.ts';
import { BeaconProbes, ConversionProbes } from './probe-traffic.ts';

/** A pipeline under test: where beacons and conversions go in, and how one sees rows come out. */
export interface FreshnessTarget {
  /** Posts NDJSON to `POST /beacon/events`; resolves on the 202, throws on anything else. */
  sendBeacons(ndjson: string): Promise<void>;
  /** Posts NDJSON to `POST /conversion/events`; resolves on the 202. */
  sendConversions(ndjson: string): Promise<void>;
  /**
   * The rows that became readable since the last call (`beacon_events` by insert id,
   * `attributed_conversions` by conversion id), with the time (ms, `performance.now()`) each was first seen.
   */
  takeNewRows(): Promise<Map<string, number>>;
  /** How often `findVisible` is asked: the resolution of the figures. */
  pollMs: number;
}

interface Probe {
  key: string;
  kind: 'beacon' | 'conversion';
  /** When the 202 arrived; undefined while the request is in flight. */
  acceptedAt?: number;
  visibleAt?: number;
}

/** Watches probes until each is visible; `stop` ends the watch after the last has been seen (or `timeoutMs`). */
class ProbeWatcher {
  readonly probes: Probe[] = [];
  readonly #waiting = new Map<string, Probe>();
  #running = true;
  readonly #done: Promise<void>;

  constructor(target: FreshnessTarget) {
    this.#done = (async () => {
      while (this.#running || this.#waiting.size) {
        for (const [key, seenAt] of await target.takeNewRows()) {
          const probe = this.#waiting.get(key);
          if (!probe) continue;
          probe.visibleAt = seenAt;
          this.#waiting.delete(key);
        }
        await sleep(target.pollMs);
      }
    })();
  }

  /** Watched from before it is sent: a row could in principle be read before its 202 is. */
  add(probe: Probe): void {
    this.probes.push(probe);
    this.#waiting.set(probe.key, probe);
  }

  #outstanding(): Probe[] {
    return [...this.#waiting.values()];
  }

  async stop(timeoutMs: number): Promise<void> {
    this.#running = false;
    const timedOut = sleep(timeoutMs).then(() => {
      const left = this.#outstanding();
      const kinds = ['beacon', 'conversion'].map((k) => `${left.filter((p) => p.kind === k).length} ${k}s`).join(', ');
      throw new Error(`${left.length} of ${this.probes.length} probes (${kinds}) not visible ${timeoutMs / 1000} s after the load stopped`);
    });
    await Promise.race([this.#done, timedOut]);
  }
}

/** Sends one probe body and stamps its 202. */
async function send(watcher: ProbeWatcher, kind: Probe['kind'], body: { ndjson: string; key: string }, post: (ndjson: string) => Promise<void>): Promise<void> {
  const probe: Probe = { key: body.key, kind };
  watcher.add(probe);
  await post(body.ndjson);
  probe.acceptedAt = performance.now();
}

/** Sends beacons and waits until the row of `body.key` is visible (e.g. exposures that conversions are then attributed to). */
export async function sendAndWait(target: FreshnessTarget, body: { ndjson: string; key: string }, timeoutMs: number): Promise<void> {
  const watcher = new ProbeWatcher(target);
  await send(watcher, 'beacon', body, (b) => target.sendBeacons(b));
  await watcher.stop(timeoutMs);
}

/**
 * The pipeline's capacity: records per second from the first request until every body sent is
 * visible in the warehouse, under `concurrency` senders posting bodies of `recordsPerBody` records
 * back to back for `seconds` (a queue that only grows would not be capacity).
 */
export async function measureCapacity(target: FreshnessTarget, beacons: BeaconProbes, options: { seconds: number; recordsPerBody: number; concurrency: number }): Promise<number> {
  const watcher = new ProbeWatcher(target);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let records = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        await send(watcher, 'beacon', beacons.body(options.recordsPerBody), (b) => target.sendBeacons(b));
        records += options.recordsPerBody;
      }
    }),
  );
  await watcher.stop(120_000);
  const lastVisible = Math.max(...watcher.probes.map((p) => p.visibleAt ?? 0));
  return records / ((lastVisible - started) / 1000);
}

export interface FreshnessFigures {
  /** Milliseconds from the 202 to the row being visible: beacons in `beacon_events`. */
  beacon: { p50: number; p99: number; samples: number };
  conversion: { p50: number; p99: number; samples: number };
  /** Records per second actually sent. */
  sentRate: number;
}

/**
 * Open-loop load at `recordsPerSecond`: a body of `recordsPerBody` records at fixed intervals
 * (however long the answers take; the size the capacity was measured with, since each body is a
 * message and a function invocation downstream), and a conversion of an exposed household every
 * `conversionEvery` bodies; each body's first record and each conversion is a probe, timed from its
 * 202 until its row is visible.
 */
export async function measureFreshness(
  target: FreshnessTarget,
  probes: { beacons: BeaconProbes; conversions: ConversionProbes },
  options: { recordsPerSecond: number; seconds: number; recordsPerBody: number; conversionEvery: number },
): Promise<FreshnessFigures> {
  const { recordsPerBody } = options;
  const periodMs = (1000 * recordsPerBody) / options.recordsPerSecond;
  const watcher = new ProbeWatcher(target);
  const sends: Array<Promise<void>> = [];
  const started = performance.now();
  let tick = 0;
  for (; performance.now() - started < options.seconds * 1000; tick++) {
    sends.push(send(watcher, 'beacon', probes.beacons.body(recordsPerBody), (b) => target.sendBeacons(b)));
    if (tick % options.conversionEvery === 0) sends.push(send(watcher, 'conversion', probes.conversions.body(), (b) => target.sendConversions(b)));
    // An absolute schedule: a late tick is not made up by shifting the later ones.
    const wait = started + (tick + 1) * periodMs - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(sends);
  await watcher.stop(60_000);
  // A row read before its 202 arrived (possible by a hair) counts as no delay at all.
  const delays = (kind: Probe['kind']) => watcher.probes.filter((p) => p.kind === kind).map((p) => Math.max(0, (p.visibleAt ?? 0) - (p.acceptedAt ?? 0)));
  const figures = (values: number[]) => ({ p50: percentile(values, 0.5), p99: percentile(values, 0.99), samples: values.length });
  return { beacon: figures(delays('beacon')), conversion: figures(delays('conversion')), sentRate: (tick * recordsPerBody) / elapsed };
}

import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../stats.ts';

export interface OpenLoopRequest {
  url: string;
  headers?: Record<string, string>;
  /** Requests per second, on average. */
  rate: number;
  durationS: number;
  /** Seeds the arrival times, so runs compared send the same schedule. */
  seed?: number;
}

export interface OpenLoopResult {
  sent: number;
  /** Responses per second. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses that took at least `slowMs`. */
  slow: number;
  /** Connection errors and statuses other than 2xx and 3xx. */
  failures: number;
}

/** A small seeded generator (mulberry32): the same seed gives the same arrivals. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arrival times (ms from the start) of a Poisson process at `rate` per second over `durationS`. */
export function poissonArrivals(rate: number, durationS: number, seed: number): number[] {
  const random = seededRandom(seed);
  const arrivals: number[] = [];
  for (let at = 0; ; ) {
    at += (-Math.log(1 - random()) / rate) * 1000;
    if (at >= durationS * 1000) return arrivals;
    arrivals.push(at);
  }
}

/**
 * Open-loop load: requests arrive as listeners do, independently (Poisson), whether or not
 * earlier ones were answered, each on a kept-open connection of a pool that grows as needed.
 * Latency counts from when a request was due, so a generator running late counts against the
 * server, never in its favour. (autocannon's `overallRate` sends each connection's share as a
 * burst at the start of every second and pads its histogram with values for requests it
 * assumes were held back; neither is how listeners arrive.)
 */
export async function measureOpenLoop(load: OpenLoopRequest, slowMs = 100): Promise<OpenLoopResult> {
  const arrivals = poissonArrivals(load.rate, load.durationS, load.seed ?? 1);
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const latencies: number[] = [];
  let failures = 0;
  const pending = new Set<Promise<void>>();
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const done = (ok: boolean) => {
        if (ok) latencies.push(performance.now() - due);
        else failures++;
        resolve();
      };
      const req = request(load.url, { agent, headers: load.headers ?? {} }, (res) => {
        res.resume();
        res.on('end', () => done((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400));
        res.on('error', () => done(false));
      });
      req.on('error', () => done(false));
      req.end();
    });
  const started = performance.now();
  for (const at of arrivals) {
    const wait = started + at - performance.now();
    if (wait > 1) await sleep(wait);
    const sending = send(started + at);
    pending.add(sending);
    void sending.then(() => pending.delete(sending));
  }
  await Promise.all([...pending]);
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    sent: arrivals.length,
    rate: latencies.length / elapsedS,
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    maxMs: round(Math.max(0, ...latencies)),
    slow: latencies.filter((l) => l >= slowMs).length,
    failures,
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

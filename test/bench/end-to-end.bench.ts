import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { simulateTraffic } from '../../cli/simulate/traffic.ts';
import { startEarshotServer } from './load/servers.ts';
import type { BenchResult } from './report.ts';

const earshotBin = fileURLToPath(new URL('../../bin/earshot.js', import.meta.url));
const days = 3;
const start = new Date('2026-11-01T00:00:00Z');

/** Beacons per second the simulator generates and serializes alone (no server), and per listener. */
function generationRate(listeners: number): { rate: number; beaconsPerListener: number } {
  const started = process.hrtime.bigint();
  let beacons = 0;
  for (const day of simulateTraffic({ listeners, days, seed: 1, start, assignStudy: () => undefined })) {
    for (const beacon of day.beacons) beacons += JSON.stringify(beacon).length > 0 ? 1 : 0;
  }
  return { rate: beacons / (Number(process.hrtime.bigint() - started) / 1e9), beaconsPerListener: beacons / listeners };
}

/** Peak resident memory of a process (Linux `VmHWM`), in MiB. */
function peakRssMiB(pid: number): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib ?? 0) / 1024;
}

interface EndToEndRun {
  sent: number;
  seconds: number;
  peakMiB: number;
}

/** One `earshot simulate` run against a fresh `earshot start` (with `extraArgs`), until every message is processed. */
async function runEndToEnd(listeners: number, extraArgs: readonly string[]): Promise<EndToEndRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  try {
    const { server } = await startEarshotServer(dataDir, extraArgs);
    try {
      const started = process.hrtime.bigint();
      const args = [earshotBin, 'simulate', '--url', server.url, '--listeners', String(listeners), '--days', String(days), '--data', dataDir, '--quiet', '--settle', '600'];
      const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const sent = (JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { sent?: { beacons: number } }).sent?.beacons ?? 0;
      return { sent, seconds, peakMiB: peakRssMiB(server.pid) };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * End to end: `earshot simulate` of about `beacons` beacons over three days against `earshot start`
 * (intake, counting and warehouse in one process), until every message is processed; beacons
 * per second of the whole run against the simulator generating the same kind of traffic alone,
 * and the durable default (every 202 on disk) against `--ephemeral` (queue and state in memory)
 * in the same run, and the server's peak memory.
 */
export async function benchEndToEnd(beacons: number): Promise<BenchResult[]> {
  const sample = generationRate(2000);
  const listeners = Math.max(100, Math.round(beacons / sample.beaconsPerListener));
  const ephemeral = await runEndToEnd(listeners, ['--ephemeral']);
  const durable = await runEndToEnd(listeners, []);
  const rate = (run: EndToEndRun) => run.sent / run.seconds;
  return [
    {
      name: `end to end: earshot simulate, ${durable.sent.toLocaleString('en-US')} beacons`,
      value: rate(durable),
      unit: 'beacons/s',
      baseline: sample.rate,
      baselineName: 'generating the traffic alone',
      note: `${listeners} listeners x ${days} days in ${durable.seconds.toFixed(1)} s, with callbacks and conversions`,
    },
    {
      name: 'end to end: durable (202 on disk) against --ephemeral',
      value: rate(durable),
      unit: 'beacons/s',
      baseline: rate(ephemeral),
      baselineName: 'earshot start --ephemeral (queue and state in memory)',
      note: `ephemeral ${ephemeral.seconds.toFixed(1)} s, durable ${durable.seconds.toFixed(1)} s`,
    },
    { name: 'end to end: earshot start peak memory (RSS)', value: durable.peakMiB, unit: 'MiB', note: `${Math.round((durable.peakMiB * 1024 * 1024) / Math.max(1, durable.sent))} bytes per beacon; ephemeral ${ephemeral.peakMiB.toFixed(0)} MiB` },
  ];
}

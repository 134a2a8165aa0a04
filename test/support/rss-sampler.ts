import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes, from Linux's /proc. */
export function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/** Samples a process's RSS at an interval until stopped; the samples are in time order. */
export function sampleRss(pid: number, intervalMs: number): { samples: number[]; stop: () => number[] } {
  const samples = [readRss(pid)];
  const timer = setInterval(() => samples.push(readRss(pid)), intervalMs);
  return {
    samples,
    stop: () => {
      clearInterval(timer);
      samples.push(readRss(pid));
      return samples;
    },
  };
}

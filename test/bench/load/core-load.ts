import { readFileSync } from 'node:fs';

// Linux accounts CPU time in clock ticks of 1/100 s (USER_HZ) in /proc/stat and /proc/<pid>/stat.
const ticksPerSecond = 100;

/** Busy ticks per CPU (everything but idle and iowait), from /proc/stat; empty where there is none. */
function readBusyTicks(): number[] {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return [];
  }
  const busy: number[] = [];
  for (const line of text.split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = (match[2] ?? '').trim().split(/\s+/).map(Number);
    busy[Number(match[1])] = user + nice + system + irq + softirq + steal;
  }
  return busy;
}

/** CPU ticks (user + system) a process has used so far; 0 once it is gone. */
function readProcessTicks(pid: number): number {
  try {
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  } catch {
    return 0;
  }
}

/** What else ran on a CPU while a measurement did: the machine's share, not the code's. */
export interface CoreLoad {
  /** Share of the CPU (0..1) busy with anything during the interval. */
  busy: number;
  /** Share of the CPU used by other processes than the ones measured (neighbours, the OS). */
  others: number;
  /** CPU seconds the measured processes used per second of the interval (may pass 1 for a process with busy threads on other CPUs). */
  own: number;
}

/**
 * Samples how busy `cpu` is while `work` runs and how much of that the processes `pids` (pinned
 * to it) account for; the rest is load from elsewhere on the machine. Undefined off Linux.
 */
export async function measureCoreLoad<T>(cpu: number, pids: readonly number[], work: () => Promise<T>): Promise<{ result: T; load: CoreLoad | undefined }> {
  const started = process.hrtime.bigint();
  const busyBefore = readBusyTicks()[cpu];
  const ownBefore = pids.reduce((sum, pid) => sum + readProcessTicks(pid), 0);
  const result = await work();
  const busyAfter = readBusyTicks()[cpu];
  const own = pids.reduce((sum, pid) => sum + readProcessTicks(pid), 0) - ownBefore;
  if (busyBefore === undefined || busyAfter === undefined || own <= 0) return { result, load: undefined };
  const ticks = (Number(process.hrtime.bigint() - started) / 1e9) * ticksPerSecond;
  const busy = Math.min(1, (busyAfter - busyBefore) / ticks);
  return { result, load: { busy, others: Math.max(0, Math.min(1, busy - own / ticks)), own: own / ticks } };
}

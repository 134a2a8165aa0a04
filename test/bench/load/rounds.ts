import { computeSpread, type Spread } from '../stats.ts';
import { measureCoreLoad, type CoreLoad } from './core-load.ts';

/** One of the things measured in turn: a server under load, or a baseline computed on the same core. */
export interface Contender<T> {
  name: string;
  /** The processes doing the measured work on the CPU (their time is not counted as neighbours'). */
  pids: () => readonly number[];
  measure: () => Promise<T>;
  /** Runs after each measurement, unmeasured: e.g. `earshot start` working off what it queued, so the next contender gets the core to itself. */
  settle?: () => Promise<void>;
}

/** Every contender's runs, in round order, with the share of the CPU others used during each. */
export type RoundResults<T> = Map<string, Array<{ value: T; load: CoreLoad | undefined }>>;

/**
 * Measures the contenders in `rounds` rounds, alternating (A B C, then C B A, ...), so a change in
 * the machine's load hits the baseline and the candidate alike and each round's ratio compares
 * runs seconds apart on the same CPU.
 */
export async function runAlternating<T>(rounds: number, cpu: number, contenders: ReadonlyArray<Contender<T>>): Promise<RoundResults<T>> {
  const results: RoundResults<T> = new Map(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      const { result, load } = await measureCoreLoad(cpu, contender.pids(), contender.measure);
      const used = process.cpuUsage(cpuBefore);
      const generator = (used.user + used.system) / 1e3 / (Number(process.hrtime.bigint() - started) / 1e6);
      results.get(contender.name)?.push({ value: result, load });
      // Each run on stderr, for reading a spread: the CPU's load from elsewhere, and how busy the load generator (this process) was.
      const share = (x: number | undefined) => (x === undefined ? 'n/a' : `${Math.round(x * 100)} %`);
      console.error(`  round ${round + 1} ${contender.name}: ${JSON.stringify(result)}; core busy ${share(load?.busy)}, measured processes ${share(load?.own)}, others ${share(load?.others)}, load generator ${share(generator)}`);
      await contender.settle?.();
    }
  }
  return results;
}

/** One run's figure (a rate) and the CPU it ran on. */
export interface RunFigure {
  value: number;
  load: CoreLoad | undefined;
}

/** A candidate against its baseline over the same rounds: medians, the spread of the rounds' ratios, and the neighbours' load. */
export interface PairedFigure {
  value: number;
  baseline: number;
  ratioSpread: Spread;
  /**
   * The rounds' ratios of rates per CPU second of the measured process (rate / its CPU share): what
   * the ratio would be with the core to itself, as long as both are bound by the CPU.
   */
  cpuRatioSpread: Spread | undefined;
  /** The range of the CPU share others used during the candidate's and the baseline's runs, e.g. "2-41 %". */
  othersRange: string;
}

const perCpuSecond = (r: RunFigure | undefined) => (r?.load ? r.value / r.load.own : Number.NaN);

export function pairRounds(baseline: readonly RunFigure[], candidate: readonly RunFigure[]): PairedFigure {
  const ratios = candidate.map((c, i) => c.value / (baseline[i]?.value ?? Number.NaN)).filter(Number.isFinite);
  const cpuRatios = candidate.map((c, i) => perCpuSecond(c) / perCpuSecond(baseline[i])).filter(Number.isFinite);
  const others = [...baseline, ...candidate].map((r) => r.load?.others).filter((o): o is number => o !== undefined);
  return {
    value: computeSpread(candidate.map((c) => c.value)).median,
    baseline: computeSpread(baseline.map((b) => b.value)).median,
    ratioSpread: computeSpread(ratios),
    cpuRatioSpread: cpuRatios.length ? computeSpread(cpuRatios) : undefined,
    othersRange: others.length ? `${Math.round(Math.min(...others) * 100)}-${Math.round(Math.max(...others) * 100)} %` : 'n/a',
  };
}

/** "per CPU second 0.52 (0.48-0.55)", or nothing where the CPU could not be read. */
export function describeCpuRatio(paired: PairedFigure): string {
  const s = paired.cpuRatioSpread;
  return s ? `; per CPU second ${s.median.toFixed(2)} (${s.min.toFixed(2)}-${s.max.toFixed(2)})` : '';
}

import { computeSpread, type Spread } from '../stats.ts';
import { measureCoreLoad } from './core-load.ts';

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
export type RoundResults<T> = Map<string, Array<{ value: T; others: number | undefined }>>;

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
      const { result, load } = await measureCoreLoad(cpu, contender.pids(), contender.measure);
      results.get(contender.name)?.push({ value: result, others: load?.others });
      await contender.settle?.();
    }
  }
  return results;
}

/** A candidate against its baseline over the same rounds: medians, the spread of the rounds' ratios, and the neighbours' load. */
export interface PairedFigure {
  value: number;
  baseline: number;
  ratioSpread: Spread;
  /** The range of the CPU share others used during the candidate's and the baseline's runs, e.g. "2-41 %". */
  othersRange: string;
}

export function pairRounds(baseline: ReadonlyArray<{ value: number; others: number | undefined }>, candidate: ReadonlyArray<{ value: number; others: number | undefined }>): PairedFigure {
  const ratios = candidate.map((c, i) => c.value / (baseline[i]?.value ?? Number.NaN)).filter(Number.isFinite);
  const others = [...baseline, ...candidate].map((r) => r.others).filter((o): o is number => o !== undefined);
  return {
    value: computeSpread(candidate.map((c) => c.value)).median,
    baseline: computeSpread(baseline.map((b) => b.value)).median,
    ratioSpread: computeSpread(ratios),
    othersRange: others.length ? `${Math.round(Math.min(...others) * 100)}-${Math.round(Math.max(...others) * 100)} %` : 'n/a',
  };
}

import type { Spread } from './stats.ts';
import { mkdirSync, writeFileSync } from 'node:fs';

/** One benchmark figure, with the baseline it is compared to when there is one. */
export interface BenchResult {
  /** A stable key for figures other scripts read (the cost model). */
  id?: string;
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  goal?: { atLeast?: number; atMost?: number; ratioAtLeast?: number };
  /**
   * Alternating runs (baseline, candidate, baseline, ...): the median of each round's own ratio and
   * its range. `value` and `baseline` are then the medians of the runs; the ratio is this one.
   */
  ratioSpread?: Spread;
  note?: string;
}

/** The figure's ratio to its baseline: the median of the rounds' ratios when it ran in rounds. */
export function computeRatio(r: BenchResult): number | undefined {
  return r.ratioSpread?.median ?? (r.baseline ? r.value / r.baseline : undefined);
}

export function meetsGoal(r: BenchResult): boolean {
  const ratio = computeRatio(r);
  if (r.goal?.atLeast !== undefined && r.value < r.goal.atLeast) return false;
  if (r.goal?.atMost !== undefined && r.value > r.goal.atMost) return false;
  if (r.goal?.ratioAtLeast !== undefined && (ratio ?? 0) < r.goal.ratioAtLeast) return false;
  return true;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

function formatRatio(r: BenchResult): string {
  const ratio = computeRatio(r);
  if (ratio === undefined) return '';
  const spread = r.ratioSpread;
  return spread ? `${ratio.toFixed(2)} (${spread.min.toFixed(2)}-${spread.max.toFixed(2)}, ${spread.runs} runs)` : ratio.toFixed(2);
}

/** Prints a table and writes the results as JSON (with the machine they ran on). */
export function report(results: readonly BenchResult[], file: string): void {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${fmt(r.baseline)} (${r.baselineName})` : '',
    formatRatio(r),
    r.goal ? (meetsGoal(r) ? 'met' : 'MISSED') : '',
    r.note ?? '',
  ]);
  const head = ['benchmark', 'value', 'baseline', 'ratio', 'goal', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  for (const row of [head, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  mkdirSync(new URL('.', `file://${file}`).pathname, { recursive: true });
  writeFileSync(file, JSON.stringify({ ran_at: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');
}

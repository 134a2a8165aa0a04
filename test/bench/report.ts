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
  note?: string;
}

export function meetsGoal(r: BenchResult): boolean {
  const ratio = r.baseline ? r.value / r.baseline : undefined;
  if (r.goal?.atLeast !== undefined && r.value < r.goal.atLeast) return false;
  if (r.goal?.atMost !== undefined && r.value > r.goal.atMost) return false;
  if (r.goal?.ratioAtLeast !== undefined && (ratio ?? 0) < r.goal.ratioAtLeast) return false;
  return true;
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));

/** Prints a table and writes the results as JSON (with the machine they ran on). */
export function report(results: readonly BenchResult[], file: string): void {
  const rows = results.map((r) => [
    r.name,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${fmt(r.baseline)} (${r.baselineName})` : '',
    r.baseline ? (r.value / r.baseline).toFixed(2) : '',
    r.goal ? (meetsGoal(r) ? 'met' : 'MISSED') : '',
    r.note ?? '',
  ]);
  const head = ['benchmark', 'value', 'baseline', 'ratio', 'goal', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  for (const row of [head, ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  mkdirSync(new URL('.', `file://${file}`).pathname, { recursive: true });
  writeFileSync(file, JSON.stringify({ ran_at: new Date().toISOString(), node: process.version, results }, null, 2) + '\n');
}

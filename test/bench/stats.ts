/** The value below which `p` (0..1) of the sorted values lie (nearest rank); 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** The median of some runs with their range, which is what a noisy machine allows one to say. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function computeSpread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length };
}

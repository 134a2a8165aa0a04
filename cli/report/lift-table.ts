import type { StudyLift } from './report-data.ts';

const percent = (x: number) => `${(x * 100).toFixed(2)}%`;
const interval = ([low, high]: readonly [number, number]) => `[${percent(low)}, ${percent(high)}]`;

/** The lift statistics of each study as table rows, for the terminal and the HTML report alike. */
export function toLiftRows(lifts: readonly StudyLift[]): { columns: string[]; rows: Array<Record<string, string>> } {
  const columns = ['study', 'control_rate', 'test_rate', 'abs_lift', 'ci_abs', 'rel_lift', 'ci_rel', 'z', 'p_value', 'incremental_conversions'];
  const rows = lifts.map(({ study, result, reason }): Record<string, string> =>
    result
      ? {
          study,
          control_rate: percent(result.control_rate),
          test_rate: percent(result.test_rate),
          abs_lift: percent(result.abs_lift),
          ci_abs: interval(result.ci_abs),
          rel_lift: percent(result.rel_lift),
          ci_rel: interval(result.ci_rel),
          z: result.z.toFixed(3),
          p_value: result.p_value < 1e-4 ? result.p_value.toExponential(2) : result.p_value.toFixed(4),
          incremental_conversions: result.incremental_conversions.toFixed(1),
        }
      : { study, control_rate: `not computable: ${reason ?? ''}` },
  );
  return { columns, rows };
}

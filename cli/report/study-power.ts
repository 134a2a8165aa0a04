import { computeMinimumDetectableLift, computePowerPlan } from '../../shared/domain/lift/power.ts';
import type { SectionData } from './report-data.ts';

/** The relative lift a study is planned to detect, at 80 % power and α = 0.05 (docs/lift.md). */
export const plannedLift = 0.1;
const plannedPower = 0.8;
const alpha = 0.05;

/** Where a running study stands against its plan, from its latest intent-to-treat day. */
export interface StudyPower {
  study: string;
  days: number;
  households: number;
  /** The control arm's rate so far: the baseline the plan assumes. */
  baseline: number;
  holdout: number;
  /** The smallest relative lift the households so far detect with 80 % power. */
  detectable_now: number;
  /** Households a 10 % lift needs, at this baseline and holdout. */
  households_needed: number;
  /** Days until then at the households a day so far; 0 when there. */
  days_to_plan: number;
}

const num = (row: Record<string, unknown>, column: string) => Number(row[column] ?? 0);

/**
 * Power of each study from `lift_daily` (intent-to-treat rows, oldest day first): households so
 * far, the smallest lift detectable now, and the days to the planned power at the current reach.
 * A study without households in both arms, or without a control conversion yet, has no baseline:
 * it is left out.
 */
export function computeStudyPowers(daily: SectionData): StudyPower[] {
  if (!daily.ok) return [];
  const byStudy = new Map<string, Array<Record<string, unknown>>>();
  for (const row of daily.rows) {
    if (row.comparison !== 'intent_to_treat') continue;
    const study = String(row.study_id);
    byStudy.set(study, [...(byStudy.get(study) ?? []), row]);
  }
  return [...byStudy.entries()].flatMap(([study, rows]) => {
    const last = rows.at(-1) as Record<string, unknown>;
    const control = num(last, 'control_households');
    const households = control + num(last, 'test_households');
    const baseline = control > 0 ? num(last, 'control_conversions') / control : 0;
    if (!(baseline > 0 && baseline < 1) || control === 0 || control === households) return [];
    const holdout = control / households;
    const detectable = computeMinimumDetectableLift({ baseline, alpha, power: plannedPower, holdout, totalHouseholds: households });
    const plan = computePowerPlan({ baseline, mde: plannedLift, alpha, power: plannedPower, holdout });
    const needed = plan.ok ? plan.value.total_households : Infinity;
    const perDay = households / rows.length;
    return [{ study, days: rows.length, households, baseline, holdout, detectable_now: detectable.mde, households_needed: needed, days_to_plan: Math.max(0, Math.ceil((needed - households) / perDay)) }];
  });
}

const percent = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'none');

/** The power of each study as table rows, for the terminal and the HTML report alike. */
export function toPowerRows(powers: readonly StudyPower[]): { columns: string[]; rows: Array<Record<string, string>> } {
  const columns = ['study', 'days', 'households', 'baseline', 'holdout', 'detectable_now', `households_for_${plannedLift * 100}pct`, 'days_to_plan'];
  const rows = powers.map((p) => ({
    study: p.study,
    days: String(p.days),
    households: String(p.households),
    baseline: `${(p.baseline * 100).toFixed(2)}%`,
    holdout: percent(p.holdout),
    detectable_now: percent(p.detectable_now),
    [`households_for_${plannedLift * 100}pct`]: String(p.households_needed),
    days_to_plan: String(p.days_to_plan),
  }));
  return { columns, rows };
}

import { describe, expect, it } from 'vitest';
import { computeStudyPowers } from '../../../../cli/report/study-power.ts';
import { computeMinimumDetectableLift, computePowerPlan } from '../../../../shared/domain/lift/power.ts';

const day = (study: string, comparison: string, control: [number, number], test: [number, number]) => ({
  study_id: study, comparison, control_conversions: control[0], control_households: control[1], test_conversions: test[0], test_households: test[1],
});

describe('power of each running study in the report', () => {
  const rows = [
    day('a', 'intent_to_treat', [10, 500], [40, 4500]),
    day('a', 'ghost_ads', [9, 400], [30, 3600]),
    day('a', 'intent_to_treat', [20, 1000], [90, 9000]),
    day('b', 'intent_to_treat', [0, 100], [3, 900]),
  ];
  const [a, ...others] = computeStudyPowers({ ok: true, columns: [], rows });

  it('reads the latest intent-to-treat day: households so far, baseline and holdout', () => {
    expect(a).toMatchObject({ study: 'a', days: 2, households: 10_000, baseline: 0.02, holdout: 0.1 });
  });

  it('gives the smallest lift detectable now and the days to the planned 10 % lift at the current reach', () => {
    const now = computeMinimumDetectableLift({ baseline: 0.02, alpha: 0.05, power: 0.8, holdout: 0.1, totalHouseholds: 10_000 });
    const plan = computePowerPlan({ baseline: 0.02, mde: 0.1, alpha: 0.05, power: 0.8, holdout: 0.1 });
    if (!plan.ok) throw new Error('plan');
    expect(a?.detectable_now).toBe(now.mde);
    expect(a?.households_needed).toBe(plan.value.total_households);
    // 5,000 households a day; 447,986 needed: (447,986 − 10,000) / 5,000 days, rounded up.
    expect(a?.days_to_plan).toBe(Math.ceil((plan.value.total_households - 10_000) / 5000));
  });

  it('leaves out a study without a control conversion yet (no baseline)', () => {
    expect(others).toEqual([]);
  });
});

import type { AttributionRules } from './attribution-rules.ts';
import type { Exposure } from './exposure.ts';
import { computeCredits } from './models.ts';
import { selectExposures } from './select-exposures.ts';
import { computeBusiestDayAgents, isSharedHousehold } from './shared-household.ts';

const dayMs = 86_400_000;

/** What attribution concluded for a conversion; every outcome is kept, with its reason. */
export type AttributionStatus = 'attributed' | 'not_exposed' | 'shared_household';

/** One exposure's credit for a conversion. */
export interface Credit {
  exposure: Exposure;
  /** Share of the conversion, 0 < credit <= 1; a conversion's credits sum to 1. */
  credit: number;
  /** The exposure reached the household on another User-Agent than the one that converted. */
  crossDevice: boolean;
}

export interface Attribution {
  status: AttributionStatus;
  /** The advertiser's real exposures of the household in the lookback. */
  exposures: number;
  /** The advertiser's ghost exposures of the household in the lookback (study control arm). */
  ghostExposures: number;
  busiestDayAgents: number;
  /** Empty unless the status is `attributed`. */
  credits: Credit[];
}

/**
 * Attributes one conversion (at `ms`, by the agent hashed to `uaHash`) to the household's
 * exposures under the advertiser's rules: exposures of the advertiser in the lookback, none after
 * the conversion, credited by the model; none at all for a shared household.
 */
export function computeAttribution(conversion: { ms: number; uaHash: number }, exposures: readonly Exposure[], rules: AttributionRules): Attribution {
  const { real, ghost } = selectExposures(exposures, conversion.ms, rules);
  const busiestDayAgents = computeBusiestDayAgents(exposures, conversion, conversion.ms - rules.lookbackDays * dayMs);
  const base = { exposures: real.length, ghostExposures: ghost.length, busiestDayAgents };
  if (isSharedHousehold(busiestDayAgents, rules.sharedHouseholdAgents)) return { ...base, status: 'shared_household', credits: [] };
  if (real.length === 0) return { ...base, status: 'not_exposed', credits: [] };
  const credits = computeCredits(rules.model, real, rules.halfLifeDays);
  return {
    ...base,
    status: 'attributed',
    credits: real.flatMap((exposure, i) => {
      const credit = credits[i] ?? 0;
      return credit > 0 ? [{ exposure, credit, crossDevice: exposure.ua !== conversion.uaHash }] : [];
    }),
  };
}

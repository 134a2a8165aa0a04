import type { AttributionModel } from './attribution-rules.ts';
import type { Exposure } from './exposure.ts';

const daySeconds = 86_400;

/**
 * Each exposure's share of one conversion (the shares sum to 1), for exposures ordered oldest
 * first:
 * - last_touch: all to the latest exposure; first_touch: all to the earliest;
 * - linear: 1/n each (fractions are expected);
 * - time_decay: weight 2^(-age / half-life), age from the exposure to the conversion, normalised.
 */
export function computeCredits(model: AttributionModel, ordered: readonly Exposure[], halfLifeDays: number): number[] {
  const n = ordered.length;
  if (n === 0) return [];
  switch (model) {
    case 'last_touch':
      return ordered.map((_, i) => (i === n - 1 ? 1 : 0));
    case 'first_touch':
      return ordered.map((_, i) => (i === 0 ? 1 : 0));
    case 'linear':
      return ordered.map(() => 1 / n);
    case 'time_decay': {
      // Ages counted from the newest exposure instead of the conversion: the common factor cancels
      // in the normalisation, and the newest weight is 1, so the weights never all underflow.
      const newest = (ordered[n - 1] as Exposure).ts;
      const halfLifeS = halfLifeDays * daySeconds;
      const weights = ordered.map((x) => 2 ** (-(newest - x.ts) / halfLifeS));
      const total = weights.reduce((sum, w) => sum + w, 0);
      return weights.map((w) => w / total);
    }
  }
}

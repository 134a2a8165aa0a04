import type { ViewSettings } from '../dialect.ts';
import type { SqlDialect } from '../../../contracts/sql-dialect.ts';

// Attribution ran for these (not for duplicates and unknown advertisers).
export const attributedStatuses = "('attributed', 'not_exposed', 'shared_household')";

/**
 * The CTEs both lift views start from, ending in `household_outcomes`: one row per study and
 * household with its arm and what it did.
 *
 * - A household is *assigned* in a study when a served file carried one of the study's placements
 *   for it (an ad or a ghost naming the study's `study_id`: the ad server asked `GET /assign`),
 *   whether or not the listener got as far as the placement. Its arm is control for a ghost, test
 *   for the real ad. A household key placed in both arms (a platform's error) is left out of both.
 * - It is *delivered* when such a placement was delivered (IAB: 100 % of its bytes in a counted
 *   download): a test household heard the ad, a control household would have heard it (its ghost).
 * - `converted`: a conversion of the study's advertiser at or after the household's first
 *   placement; `converted_after_delivery`: at or after its first delivery. Duplicates are not
 *   conversions; a household converting twice counts once.
 * - `pre_conversions`: its conversions of that advertiser in the `cupedPrePeriodDays` before its
 *   first placement, CUPED's covariate (fixed before assignment, so it cannot depend on the arm).
 *
 * The study's advertiser is the one intake stored the study's arms under on conversions (intake
 * has the configuration), else the placements' `advertiser_id`. Household keys rotate monthly:
 * a household active in two months is two households here, each in its one arm (the arm is a
 * function of the address, not the key), which dilutes neither comparison's balance.
 */
export function computeStudyHouseholdsSql(d: SqlDialect, settings: Pick<ViewSettings, 'cupedPrePeriodDays'>): string {
  const real = d.deliveredAds('e', 'ad', 'ads_delivered');
  const ghost = d.deliveredAds('e', 'ad', 'ghost_ads_delivered');
  const preFrom = d.minusDays('h.assigned_at', settings.cupedPrePeriodDays);
  return `study_advertisers AS (
  SELECT arm.study_id AS study_id, MIN(c.advertiser_id) AS advertiser_id
  FROM ${d.deduped('conversions')} AS c
  CROSS JOIN ${d.unnest('c.arms', 'arm')}
  GROUP BY 1
),
placements AS (
  SELECT ad.study_id AS study_id, ad.advertiser_id AS advertiser_id, e.household_key AS household_key, e.ts AS ts,
    CASE WHEN ad.ghost THEN 'control' ELSE 'test' END AS arm,
    ((${real.where}) OR (${ghost.where})) AS delivered
  FROM ${d.deduped('beacon_events')} AS e
  CROSS JOIN ${d.unnest('e.ads', 'ad')}
  WHERE ad.study_id IS NOT NULL
),
households AS (
  SELECT study_id, household_key, MIN(advertiser_id) AS ad_advertiser_id, MIN(arm) AS arm,
    MIN(ts) AS assigned_at, MIN(CASE WHEN delivered THEN ts END) AS delivered_at
  FROM placements
  GROUP BY study_id, household_key
  HAVING COUNT(DISTINCT arm) = 1
),
studies AS (
  SELECT study_id, MIN(advertiser_id) AS advertiser_id FROM (
    SELECT h.study_id AS study_id, COALESCE(sa.advertiser_id, h.ad_advertiser_id) AS advertiser_id
    FROM households AS h LEFT JOIN study_advertisers AS sa ON sa.study_id = h.study_id
    UNION ALL
    SELECT study_id, advertiser_id FROM study_advertisers
  ) AS known
  GROUP BY study_id
),
household_outcomes AS (
  SELECT h.study_id AS study_id, h.household_key AS household_key, h.arm AS arm, h.assigned_at AS assigned_at, h.delivered_at AS delivered_at,
    MIN(CASE WHEN c.ts >= h.assigned_at THEN c.ts END) AS converted_at,
    MIN(CASE WHEN c.ts >= h.delivered_at THEN c.ts END) AS converted_after_delivery_at,
    COUNT(DISTINCT CASE WHEN c.ts < h.assigned_at AND c.ts >= ${preFrom} THEN c.conversion_id END) AS pre_conversions
  FROM households AS h
  JOIN studies AS s ON s.study_id = h.study_id
  LEFT JOIN ${d.deduped('conversions')} AS c
    ON c.household_key = h.household_key AND c.advertiser_id = s.advertiser_id AND c.attribution IN ${attributedStatuses}
  GROUP BY h.study_id, h.household_key, h.arm, h.assigned_at, h.delivered_at
)`;
}

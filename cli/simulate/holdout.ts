import { computeAssignment, tryHouseholdIdentity } from '../../shared/assignment/assign-arm.ts';
import type { EarshotConfig } from '../../shared/schemas/config.ts';

/**
 * Whether a household is in the control arm of an advertiser's holdout study, decided as the
 * `assign` function decides it (the same pure code and the config's salts), so the simulated ad
 * server inserts a ghost ad exactly where a real one asking `GET /assign` would.
 */
export function createHoldoutPolicy(studies: EarshotConfig['studies']): (ip: string, advertiser: string) => boolean {
  const byAdvertiser = new Map(studies.map((study) => [study.advertiser, study]));
  return (ip, advertiser) => {
    const study = byAdvertiser.get(advertiser);
    const household = study && tryHouseholdIdentity(ip);
    return household ? computeAssignment(study, household).arm === 'control' : false;
  };
}

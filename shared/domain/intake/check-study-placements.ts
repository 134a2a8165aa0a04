import type { InsertedAd } from '../../contracts/schemas/beacon-record.ts';
import type { StudyConfig } from '../../contracts/schemas/config.ts';
import type { FieldError } from '../../contracts/schemas/validator.ts';

/** What intake needs to know of a study to accept its placements. */
export type StudyPlacementRules = ReadonlyMap<string, Pick<StudyConfig, 'campaigns'>>;

/**
 * A placement that names a study names a configured one, for one of the campaigns the study
 * covers (when it lists campaigns): a typo in a study id would otherwise file its households
 * under no study, and a campaign outside the study would mix two experiments in one comparison.
 */
export function checkStudyPlacements(ads: readonly InsertedAd[] | undefined, studies: StudyPlacementRules): FieldError[] {
  const errors: FieldError[] = [];
  ads?.forEach((ad, i) => {
    if (ad.study_id === undefined) return;
    const study = studies.get(ad.study_id);
    if (!study) {
      errors.push({ path: `/ads/${i}/study_id`, rule: 'knownStudy', message: 'must be a configured study id' });
    } else if (study.campaigns?.length && !study.campaigns.includes(ad.campaign_id)) {
      errors.push({ path: `/ads/${i}/study_id`, rule: 'studyCampaign', message: `the study does not cover campaign ${ad.campaign_id}` });
    }
  });
  return errors;
}

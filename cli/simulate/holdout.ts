import { computeAssignment, tryHouseholdIdentity } from '../../shared/domain/assignment/assign-arm.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';

/** What the simulated ad server puts in a slot of a study: the study's id, and a ghost for control. */
export interface StudyPlacement {
  study_id: string;
  ghost: boolean;
}

/** The study placement of a campaign's ad for a household, or undefined outside every study. */
export type StudyAssigner = (ip: string, campaign: { id: string; advertiser: string }) => StudyPlacement | undefined;

/**
 * The study a campaign's ad belongs to (one of the advertiser's studies that lists the campaign,
 * else one that lists none) and the household's arm in it, decided as the `assign` function
 * decides it (the same pure code and the config's salts), so the simulated ad server inserts a
 * ghost ad exactly where a real one asking `GET /assign` would. Several studies of one
 * advertiser run side by side, each over its own campaigns.
 */
export function createStudyAssigner(studies: EarshotConfig['studies']): StudyAssigner {
  return (ip, campaign) => {
    const mine = studies.filter((s) => s.advertiser === campaign.advertiser);
    const study = mine.find((s) => s.campaigns?.includes(campaign.id)) ?? mine.find((s) => !s.campaigns?.length);
    const household = study && tryHouseholdIdentity(ip);
    return study && household ? { study_id: study.id, ghost: computeAssignment(study, household).arm === 'control' } : undefined;
  };
}

import { computeAssignment, tryHouseholdIdentity } from '../../shared/domain/assignment/assign-arm.ts';
import { healthy, json, jsonError, methodNotAllowed, notFound } from '../../shared/platform/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../shared/platform/http/types.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import type { StudyConfig } from '../../shared/contracts/schemas/config.ts';
import type { FieldError } from '../../shared/contracts/schemas/validator.ts';

/** Whether a study runs on the UTC day of `now` (its start and end days included, when configured). */
export function isStudyRunning(study: Pick<StudyConfig, 'start' | 'end'>, now: Date): boolean {
  const day = now.toISOString().slice(0, 10);
  return (study.start === undefined || day >= study.start) && (study.end === undefined || day <= study.end);
}

/**
 * The `assign` function: `GET /assign?study=<id>&ip=<address or household key>[&campaign=<id>]`
 * answers `{study, arm, bucket}` for that study. The ad server asks before inserting a study's
 * ad and inserts a ghost ad (`ghost: true`) for control households, naming the study
 * (`study_id`) on either. Nothing is stored: the arm is a pure function of the study's salt and
 * the household, so every call (and the conversion function) agrees; each study has its own salt,
 * so a household's arms in two studies of one advertiser are independent. Outside the study's days
 * (409) or for a campaign it does not cover (400) there is no arm to give.
 */
export function createAssignHandler(deps: Pick<Runtime, 'config' | 'clock'>): HttpHandler {
  const studies = new Map(deps.config.studies.map((s) => [s.id, s]));

  function assign(request: HttpRequest): HttpResponse {
    const studyId = request.query.get('study');
    const ip = request.query.get('ip');
    const errors: FieldError[] = [];
    if (!studyId) errors.push({ path: 'query/study', rule: 'required', message: 'is required' });
    if (!ip) errors.push({ path: 'query/ip', rule: 'required', message: 'is required' });
    if (errors.length) return jsonError(400, 'invalid request', errors);
    const study = studies.get(studyId as string);
    if (!study) return jsonError(404, 'unknown study', [{ path: 'query/study', message: 'must be a configured study id' }]);
    const campaign = request.query.get('campaign');
    if (campaign && study.campaigns?.length && !study.campaigns.includes(campaign)) {
      return jsonError(400, 'campaign not in study', [{ path: 'query/campaign', message: `must be one of the study's campaigns (${study.campaigns.join(', ')})` }]);
    }
    if (!isStudyRunning(study, deps.clock.now())) {
      return jsonError(409, 'study not running', [{ path: 'query/study', message: `runs from ${study.start ?? 'the start'} to ${study.end ?? 'open end'} (UTC days)` }]);
    }
    const household = tryHouseholdIdentity(ip as string);
    if (!household) return jsonError(400, 'invalid request', [{ path: 'query/ip', message: 'must be an IP address or a household key (16-128 of A-Z a-z 0-9 _ -)' }]);
    // The arm never changes for a household, so the ad server may keep the answer for a while.
    return json(200, computeAssignment(study, household), { 'cache-control': 'private, max-age=3600' });
  }

  return async (request) => {
    const { path, method } = request;
    if (path === '/' || path === '') return method === 'GET' ? assign(request) : methodNotAllowed(method, 'GET');
    if (path === '/healthz') return method === 'GET' ? healthy() : methodNotAllowed(method, 'GET');
    return notFound(path);
  };
}

import { computeAssignment, tryHouseholdIdentity } from '../../shared/assignment/assign-arm.ts';
import { healthy, json, jsonError, methodNotAllowed, notFound } from '../../shared/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse } from '../../shared/http/types.ts';
import type { Runtime } from '../../shared/runtime-types.ts';
import type { FieldError } from '../../shared/schemas/validator.ts';

/**
 * The `assign` function: `GET /assign?study=<id>&ip=<address or household key>` answers
 * `{study, arm, bucket}`. The ad server asks before inserting a study's ad and inserts a ghost ad
 * (`ghost: true`) for control households. Nothing is stored: the arm is a pure function of the
 * study's salt and the household, so every call (and the conversion function) agrees.
 */
export function createAssignHandler(deps: Pick<Runtime, 'config'>): HttpHandler {
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

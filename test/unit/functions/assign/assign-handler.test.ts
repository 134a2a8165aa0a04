import { describe, expect, it } from 'vitest';
import { createAssignHandler } from '../../../../functions/assign/handler.ts';
import { computeAssignment, tryHouseholdIdentity } from '../../../../shared/domain/assignment/assign-arm.ts';
import type { EarshotConfig } from '../../../../shared/contracts/schemas/config.ts';
import { fixedClock, httpRequest, testConfig } from '../../../support/fixtures.ts';

const study = { id: 'study-1', advertiser: 'adv', holdout_share: 0.25, salt: 'salt_for_study_one' };
// Two more studies of the same advertiser at once: one over its own campaign, one already ended.
const spring = { id: 'spring', advertiser: 'adv', holdout_share: 0.5, salt: 'salt_for_spring_study', campaigns: ['c-spring'], start: '2020-01-01', end: '2099-12-31' };
const ended = { id: 'ended', advertiser: 'adv', holdout_share: 0.5, salt: 'salt_for_ended_study', start: '2020-01-01', end: '2020-01-31' };
const config: EarshotConfig = { ...testConfig, studies: [study, spring, ended] };
const handler = createAssignHandler({ config, clock: fixedClock });

const get = (query: string, path = '/') => handler(httpRequest({ method: 'GET', path, query: new URLSearchParams(query), headers: {} }));
const bodyOf = (r: { body?: string | Buffer }) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe('assign GET /assign', () => {
  it('answers {study, arm, bucket} as the shared assignment computes it', async () => {
    const response = await get('study=study-1&ip=203.0.113.9');
    expect(response.status).toBe(200);
    const expected = computeAssignment(study, tryHouseholdIdentity('203.0.113.9') as Buffer);
    expect(bodyOf(response)).toEqual({ study: 'study-1', arm: expected.arm, bucket: expected.bucket });
    expect(response.headers?.['content-type']).toBe('application/json');
  });

  it('answers each study apart, by its own salt, for one household', async () => {
    const household = tryHouseholdIdentity('203.0.113.9') as Buffer;
    const answer = bodyOf(await get('study=spring&campaign=c-spring&ip=203.0.113.9'));
    expect(answer).toEqual(computeAssignment(spring, household));
    expect(answer.bucket).not.toBe(computeAssignment(study, household).bucket);
  });

  it('gives the same answer every time', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => get('study=study-1&ip=2001:db8:aa:bb::1')));
    expect(new Set(answers.map((a) => String(a.body))).size).toBe(1);
  });

  it('accepts a household key instead of an address', async () => {
    const response = await get('study=study-1&ip=hh_0123456789abcdef');
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toMatchObject({ study: 'study-1', arm: expect.stringMatching(/^(control|test)$/) as unknown });
  });

  const refusals: Array<[string, string, number, string[]]> = [
    ['a missing study', 'ip=203.0.113.9', 400, ['query/study']],
    ['a missing ip', 'study=study-1', 400, ['query/ip']],
    ['both missing', '', 400, ['query/study', 'query/ip']],
    ['an ip that is neither an address nor a key', 'study=study-1&ip=nope', 400, ['query/ip']],
    ['an unknown study', 'study=other&ip=203.0.113.9', 404, ['query/study']],
    ['a campaign the study does not cover', 'study=spring&campaign=c-other&ip=203.0.113.9', 400, ['query/campaign']],
    ['a study outside its days', 'study=ended&ip=203.0.113.9', 409, ['query/study']],
  ];
  for (const [name, query, status, paths] of refusals) {
    it(`answers ${status} naming the field for ${name}`, async () => {
      const response = await get(query);
      expect(response.status).toBe(status);
      const body = bodyOf(response) as { error: string; details: Array<{ path: string; message: string }> };
      expect(body.details.map((d) => d.path)).toEqual(paths);
      expect(typeof body.error).toBe('string');
    });
  }

  it('answers healthz, 405 for other methods and 404 elsewhere', async () => {
    expect((await get('', '/healthz')).status).toBe(200);
    expect((await handler(httpRequest({ method: 'POST', path: '/', headers: {} }))).status).toBe(405);
    expect((await get('', '/elsewhere')).status).toBe(404);
  });
});

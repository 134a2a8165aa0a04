import { describe, expect, it } from 'vitest';
import { ResultCache } from '../../../../shared/application/reports/result-cache.ts';
import { TenantKeys, type Tenant } from '../../../../shared/application/reports/tenant.ts';

const keys = new TenantKeys({
  platforms: [{ id: 'p1', keys: ['pk_platform_one_key_0', 'pk_shared_with_advertiser'] }],
  advertisers: [
    { id: 'a1', keys: ['ak_advertiser_one_key', 'pk_shared_with_advertiser'], lookback_days: 30, model: 'last_touch', campaigns: [{ id: 'c1' }, { id: 'c1b' }] },
    { id: 'a2', keys: ['ak_advertiser_two_key'], lookback_days: 30, model: 'last_touch', campaigns: [{ id: 'c2' }] },
    { id: 'a3', keys: ['ak_advertiser_three_k'], lookback_days: 30, model: 'last_touch' },
  ],
  analysts: [{ id: 'n1', keys: ['nk_analyst_key_000000'] }],
});

describe('TenantKeys.tryTenant', () => {
  const cases: Array<[string, string | undefined, Tenant | undefined]> = [
    ['an analyst key', 'Bearer nk_analyst_key_000000', { kind: 'analyst', id: 'n1' }],
    ['an advertiser key, with its campaigns and those others list', 'Bearer ak_advertiser_one_key', { kind: 'advertiser', id: 'a1', campaigns: ['c1', 'c1b'], claimed: ['c2'] }],
    ['an advertiser without campaigns', 'Bearer ak_advertiser_three_k', { kind: 'advertiser', id: 'a3', campaigns: [], claimed: ['c1', 'c1b', 'c2'] }],
    ['a platform key', 'Bearer pk_platform_one_key_0', { kind: 'platform', id: 'p1' }],
    ['a key listed under two kinds', 'Bearer pk_shared_with_advertiser', undefined],
    ['no header', undefined, undefined],
    ['an unknown key', 'Bearer nk_analyst_key_000001', undefined],
    ['another scheme', 'Basic nk_analyst_key_000000', undefined],
    ['a key with trailing text', 'Bearer nk_analyst_key_000000 x', undefined],
  ];
  for (const [name, header, tenant] of cases) {
    it(name, () => expect(keys.tryTenant(header)).toEqual(tenant));
  }
});

describe('ResultCache', () => {
  it('keeps an answer for its time to live only', () => {
    let now = 0;
    const cache = new ResultCache<string>(1000, 10, () => now);
    cache.set('k', 'v');
    now = 999;
    expect(cache.get('k')).toBe('v');
    now = 1000;
    expect(cache.get('k')).toBeUndefined();
  });

  it('drops the oldest entries beyond its size', () => {
    const cache = new ResultCache<number>(1000, 2, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });
});

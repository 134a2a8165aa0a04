import { describe, expect, it } from 'vitest';
import { tryParseConfig } from '../../../../shared/platform/config/parse-config.ts';
import { intakeDefaults } from '../../../../shared/domain/intake/time-bounds.ts';
import { computeTrafficRules, trafficDefaults } from '../../../../shared/domain/traffic/traffic-rules.ts';

const masterKey = 'm'.repeat(32);
const platform = { id: 'p1', keys: ['pk_0123456789abcdef'] };
const vendor = { id: 'v1', secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] };
const minimal = { privacy: { master_key: masterKey } };
// An ed25519 public key (RFC 8032 §7.1, test 3), written as Standard Webhooks writes it: whpk_ and base64 of the raw 32 bytes.
const whpk = 'whpk_' + Buffer.from('fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'hex').toString('base64');

const parse = (value: unknown) => tryParseConfig(JSON.stringify(value));

describe('tryParseConfig', () => {
  it('fills every section left out with its default', () => {
    expect(parse(minimal)).toEqual({
      ok: true,
      value: {
        platforms: [],
        vendors: [],
        advertisers: [],
        studies: [],
        analysts: [],
        counting: { window: 'calendar', keep_first_two_bytes: false },
        reporting: { discrepancy_threshold_pct: 5, cuped_pre_period_days: 28 },
        intake: intakeDefaults,
        traffic: { ...trafficDefaults, datacenter_allow_apps: [] },
        privacy: { master_key: masterKey },
      },
    });
  });

  it('reads the traffic rules left out of older configurations at the schema defaults', () => {
    const parsed = parse(minimal);
    expect(parsed.ok && computeTrafficRules(parsed.value.traffic)).toEqual(computeTrafficRules(undefined));
  });

  it('fills an advertiser’s lookback and model', () => {
    const parsed = parse({ ...minimal, advertisers: [{ id: 'a1' }] });
    expect(parsed.ok && parsed.value.advertisers[0]).toMatchObject({ id: 'a1', keys: [], lookback_days: 30, model: 'last_touch' });
  });

  const accepted: Record<string, object> = {
    'platforms with several keys (rotation)': { platforms: [{ id: 'p1', keys: ['pk_0123456789abcdef', 'pk_fedcba9876543210'] }] },
    'vendors with several secrets and a format': { vendors: [{ ...vendor, secrets: [...vendor.secrets, 'whsec_' + 'A'.repeat(32)], format: 'acme' }] },
    'a vendor with an ed25519 public key alone': { vendors: [{ id: 'v1', secrets: [whpk] }] },
    'a vendor with a secret and a public key (moving to a key pair)': { vendors: [{ ...vendor, secrets: [...vendor.secrets, whpk, whpk.replace(/=$/, '')] }] },
    'a rolling window that keeps probes': { counting: { window: 'rolling', keep_first_two_bytes: true } },
    'an OPAWG folder': { ua_list: '/srv/opawg' },
    'a discrepancy threshold': { reporting: { discrepancy_threshold_pct: 10 } },
    'intake time bounds': { intake: { min_ts: '2020-01-01T00:00:00Z', max_future_s: 3600 } },
    'traffic rules with an allow-listed app': { traffic: { datacenter_allow_apps: ['Relay FM'], household_episode_max: 5, burst_episodes_max: 10, burst_window_s: 600 } },
    'an advertiser with its own keys beside a platform': { platforms: [platform], advertisers: [{ id: 'a1', keys: ['ak_0123456789abcdef'] }] },
  };
  for (const [name, sections] of Object.entries(accepted)) {
    it(`accepts ${name}`, () => expect(parse({ ...minimal, ...sections }).ok).toBe(true));
  }

  const refused: Record<string, { value: unknown; path: string; rule: string }> = {
    'no privacy key': { value: {}, path: '/privacy', rule: 'required' },
    'a short master key': { value: { privacy: { master_key: 'short' } }, path: '/privacy/master_key', rule: 'minLength' },
    'an unknown window': { value: { ...minimal, counting: { window: 'weekly' } }, path: '/counting/window', rule: 'enum' },
    'a short platform key': { value: { ...minimal, platforms: [{ id: 'p1', keys: ['short'] }] }, path: '/platforms/0/keys/0', rule: 'minLength' },
    'a platform without keys': { value: { ...minimal, platforms: [{ id: 'p1', keys: [] }] }, path: '/platforms/0/keys', rule: 'minItems' },
    'a vendor secret without whsec_': { value: { ...minimal, vendors: [{ id: 'v1', secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }] }, path: '/vendors/0/secrets/0', rule: 'pattern' },
    'a vendor public key of 31 bytes': { value: { ...minimal, vendors: [{ id: 'v1', secrets: ['whpk_' + Buffer.alloc(31, 1).toString('base64')] }] }, path: '/vendors/0/secrets/0', rule: 'pattern' },
    'a vendor public key in base64url': { value: { ...minimal, vendors: [{ id: 'v1', secrets: [whpk.replace(/\+/g, '-').replace(/\//g, '_')] }] }, path: '/vendors/0/secrets/0', rule: 'pattern' },
    'an unknown vendor format': { value: { ...minimal, vendors: [{ ...vendor, format: 'other' }] }, path: '/vendors/0/format', rule: 'enum' },
    'a lookback over 90 days': { value: { ...minimal, advertisers: [{ id: 'a1', lookback_days: 91 }] }, path: '/advertisers/0/lookback_days', rule: 'maximum' },
    'a holdout share of 1': { value: { ...minimal, studies: [{ id: 's1', advertiser: 'a1', holdout_share: 1, salt: 's'.repeat(16) }] }, path: '/studies/0/holdout_share', rule: 'exclusiveMaximum' },
    'a study that ends before it starts': {
      value: { ...minimal, studies: [{ id: 's1', advertiser: 'a1', holdout_share: 0.1, salt: 's'.repeat(16), start: '2026-05-02', end: '2026-05-01' }] },
      path: '/studies/0/end',
      rule: 'order',
    },
    'a study day that is no calendar day': { value: { ...minimal, studies: [{ id: 's1', advertiser: 'a1', holdout_share: 0.1, salt: 's'.repeat(16), start: '2026-13-01' }] }, path: '/studies/0/start', rule: 'pattern' },

    'an unknown section': { value: { ...minimal, extra: true }, path: '/extra', rule: 'additionalProperties' },
    'two platforms with one id': { value: { ...minimal, platforms: [platform, platform] }, path: '/platforms/1/id', rule: 'unique' },
    'text that is not JSON': { value: undefined, path: '/', rule: 'json' },
    'one key on two platforms': {
      value: { ...minimal, platforms: [platform, { id: 'p2', keys: ['pk_fedcba9876543210', ...platform.keys] }] },
      path: '/platforms/1/keys/1',
      rule: 'uniqueKey',
    },
    'one key on two advertisers': {
      value: { ...minimal, advertisers: [{ id: 'a1', keys: ['ak_0123456789abcdef'] }, { id: 'a2', keys: ['ak_0123456789abcdef'] }] },
      path: '/advertisers/1/keys/0',
      rule: 'uniqueKey',
    },
    'a platform key that is also an advertiser key': { value: { ...minimal, platforms: [platform], advertisers: [{ id: 'a1', keys: platform.keys }] }, path: '/advertisers/0/keys/0', rule: 'uniqueKey' },
    'one key twice on one platform': { value: { ...minimal, platforms: [{ id: 'p1', keys: [...platform.keys, ...platform.keys] }] }, path: '/platforms/0/keys/1', rule: 'uniqueKey' },
    'a platform key with a space': { value: { ...minimal, platforms: [{ id: 'p1', keys: ['pk_0123456789 abcdef'] }] }, path: '/platforms/0/keys/0', rule: 'pattern' },
    'an advertiser key with a newline': { value: { ...minimal, advertisers: [{ id: 'a1', keys: ['ak_0123456789abcdef\n'] }] }, path: '/advertisers/0/keys/0', rule: 'pattern' },
    'a platform key with a tab': { value: { ...minimal, platforms: [{ id: 'p1', keys: ['\tpk_0123456789abcdef'] }] }, path: '/platforms/0/keys/0', rule: 'pattern' },
    'an intake minimum that is no timestamp': { value: { ...minimal, intake: { min_ts: '2000' } }, path: '/intake/min_ts', rule: 'format' },
    'a negative future allowance': { value: { ...minimal, intake: { max_future_s: -1 } }, path: '/intake/max_future_s', rule: 'minimum' },
  };
  for (const [name, { value, path, rule }] of Object.entries(refused)) {
    it(`refuses ${name} at ${path} (${rule})`, () => {
      const parsed = value === undefined ? tryParseConfig('{"privacy":') : parse(value);
      expect(parsed.ok).toBe(false);
      expect(parsed.ok ? [] : parsed.errors).toContainEqual(expect.objectContaining({ path, rule }));
    });
  }
});

import { describe, expect, it } from 'vitest';
import { computeAssignment } from '../../../../shared/domain/assignment/assign-arm.ts';
import { secretEnv, settingsEnv, tryMergeSecrets, tryResolveConfig } from '../../../../shared/platform/config/merge-secrets.ts';
import { HouseholdKeyer } from '../../../../shared/domain/privacy/household-key.ts';
import { computeVendorDirectory } from '../../../../shared/domain/verification/vendor-directory.ts';

const masterKey = 'm'.repeat(32);
const platformKey = 'pk_0123456789abcdef';
const advertiserKey = 'ak_0123456789abcdef';
const whsec = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const salt = 'salt_0123456789abcdef';
const analystKey = 'nk_0123456789abcdef';

/** The settings document a deployment keeps outside Secret Manager's per-concern secrets. */
const settings = {
  platforms: [{ id: 'p1' }],
  vendors: [{ id: 'v1', format: 'canonical' }],
  advertisers: [{ id: 'a1', lookback_days: 14 }, { id: 'a2' }],
  studies: [{ id: 's1', advertiser: 'a1', holdout_share: 0.1 }],
  analysts: [{ id: 'n1' }],
  counting: { window: 'rolling' },
};

/** Every secret concern, as its variable holds it. */
const allSecrets = {
  [secretEnv.platformKeys]: JSON.stringify({ p1: [platformKey] }),
  [secretEnv.vendorSecrets]: JSON.stringify({ v1: [whsec] }),
  [secretEnv.advertiserKeys]: JSON.stringify({ a1: [advertiserKey] }),
  [secretEnv.analystKeys]: JSON.stringify({ n1: [analystKey] }),
  [secretEnv.studySalts]: JSON.stringify({ s1: salt }),
  [secretEnv.privacyKey]: `${masterKey}\n`,
};

const envWith = (secrets: Record<string, string>, document: unknown = settings) => ({ [settingsEnv]: JSON.stringify(document), ...secrets });


describe('tryResolveConfig: the settings document with the secrets present merged in', () => {
  it('puts every secret in its place by id', () => {
    const resolved = tryResolveConfig(envWith(allSecrets));
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    const config = resolved.value;
    expect(config.platforms).toEqual([{ id: 'p1', keys: [platformKey] }]);
    expect(config.vendors).toEqual([{ id: 'v1', format: 'canonical', secrets: [whsec] }]);
    expect(config.advertisers.map((a) => [a.id, a.keys, a.lookback_days])).toEqual([
      ['a1', [advertiserKey], 14],
      ['a2', [], 30],
    ]);
    expect(config.studies[0]?.salt).toBe(salt);
    expect(config.analysts).toEqual([{ id: 'n1', keys: [analystKey] }]);
    expect(config.privacy.master_key).toBe(masterKey);
    expect(config.counting.window).toBe('rolling');
  });

  it('keeps the whole document in EARSHOT_CONFIG working (local, dev and tests)', () => {
    const whole = {
      platforms: [{ id: 'p1', keys: [platformKey] }],
      vendors: [{ id: 'v1', secrets: [whsec] }],
      studies: [{ id: 's1', advertiser: 'a1', holdout_share: 0.1, salt }],
      privacy: { master_key: masterKey },
    };
    const resolved = tryResolveConfig({ [settingsEnv]: JSON.stringify(whole) });
    expect(resolved.ok && resolved.value).toMatchObject(whole);
  });

  // Each function's deployment mounts only its secrets (terraform/main.tf): the rest are withheld.
  const mounted: Record<string, { given: Array<keyof typeof secretEnv>; readable: string[] }> = {
    beacon: { given: ['platformKeys', 'privacyKey'], readable: ['platform keys', 'master key'] },
    verification: { given: ['vendorSecrets'], readable: ['vendor secrets'] },
    conversion: { given: ['advertiserKeys', 'studySalts', 'privacyKey'], readable: ['advertiser keys', 'study salt', 'master key'] },
    assign: { given: ['studySalts'], readable: ['study salt'] },
    count: { given: [], readable: [] },
    reports: { given: ['platformKeys', 'advertiserKeys', 'analystKeys'], readable: ['platform keys', 'advertiser keys', 'analyst keys'] },
  };
  const fields: Record<string, [string, (c: Extract<ReturnType<typeof tryResolveConfig>, { ok: true }>['value']) => unknown]> = {
    'platform keys': [secretEnv.platformKeys, (c) => c.platforms[0]?.keys],
    'vendor secrets': [secretEnv.vendorSecrets, (c) => c.vendors[0]?.secrets],
    'advertiser keys': [secretEnv.advertiserKeys, (c) => c.advertisers[0]?.keys],
    'analyst keys': [secretEnv.analystKeys, (c) => c.analysts[0]?.keys],
    'study salt': [secretEnv.studySalts, (c) => c.studies[0]?.salt],
    'master key': [secretEnv.privacyKey, (c) => c.privacy.master_key],
  };
  for (const [fn, { given, readable }] of Object.entries(mounted)) {
    it(`gives ${fn} its secrets and leaves the others empty`, () => {
      const resolved = tryResolveConfig(envWith(Object.fromEntries(given.map((concern) => [secretEnv[concern], allSecrets[secretEnv[concern]] as string]))));
      expect(resolved.ok).toBe(true);
      if (!resolved.ok) return;
      // A plain value: a copy or a serialisation holds what a direct read gives.
      const copy = JSON.parse(JSON.stringify({ ...resolved.value })) as typeof resolved.value;
      for (const [name, [, get]] of Object.entries(fields)) {
        for (const config of [resolved.value, copy]) {
          if (readable.includes(name)) expect(get(config), name).not.toHaveLength(0);
          else expect(get(config), name).toHaveLength(0);
        }
      }
    });
  }

  it('reads a function with no EARSHOT_CONFIG (warehouse) as the defaults', () => {
    const resolved = tryResolveConfig({});
    expect(resolved.ok && resolved.value.platforms).toEqual([]);
    expect(resolved.ok && resolved.value.privacy.master_key).toBe('');
  });

  it('accepts a privacy key with no trailing line break, and an advertiser with no keys', () => {
    const resolved = tryResolveConfig(envWith({ [secretEnv.privacyKey]: masterKey, [secretEnv.advertiserKeys]: '{}' }));
    expect(resolved.ok && [resolved.value.privacy.master_key, resolved.value.advertisers[0]?.keys]).toEqual([masterKey, []]);
  });

  // A bad secret is refused with the variable's name first; never with the secret's text.
  const refused: Array<[string, Record<string, string>, unknown, string]> = [
    ['a secret that is not JSON', { [secretEnv.platformKeys]: `{"p1": ["${platformKey}"` }, settings, 'EARSHOT_PLATFORM_KEYS is not valid JSON'],
    ['a secret of the wrong shape', { [secretEnv.platformKeys]: JSON.stringify([platformKey]) }, settings, 'EARSHOT_PLATFORM_KEYS must be object'],
    ['a key too short', { [secretEnv.advertiserKeys]: JSON.stringify({ a1: ['short'] }) }, settings, 'EARSHOT_ADVERTISER_KEYS/a1/0 must NOT have fewer than 16 characters'],
    ['a vendor secret without whsec_', { [secretEnv.vendorSecrets]: JSON.stringify({ v1: ['not-a-webhook-secret'] }) }, settings, 'EARSHOT_VENDOR_SECRETS/v1/0 must match pattern'],
    ['a salt that is not text', { [secretEnv.studySalts]: JSON.stringify({ s1: 42 }) }, settings, 'EARSHOT_STUDY_SALTS/s1 must be string'],
    ['a short master key', { [secretEnv.privacyKey]: 'too-short' }, settings, 'EARSHOT_PRIVACY_KEY must NOT have fewer than 32 characters'],
    ['an id the settings do not list', { [secretEnv.platformKeys]: JSON.stringify({ p1: [platformKey], p9: [platformKey] }) }, settings, 'EARSHOT_PLATFORM_KEYS/p9 names platform p9, which EARSHOT_CONFIG does not list'],
    ['a listed platform without keys', { [secretEnv.platformKeys]: '{}' }, settings, 'EARSHOT_PLATFORM_KEYS/p1 is required: EARSHOT_CONFIG lists platform p1'],
    ['a listed study without a salt', { [secretEnv.studySalts]: '{}' }, settings, 'EARSHOT_STUDY_SALTS/s1 is required: EARSHOT_CONFIG lists study s1'],
    ['a secret also in the settings', { [secretEnv.platformKeys]: JSON.stringify({ p1: [platformKey] }) }, { platforms: [{ id: 'p1', keys: [platformKey] }] }, 'EARSHOT_CONFIG/platforms/0/keys is also given by EARSHOT_PLATFORM_KEYS'],
    ['a master key also in the settings', { [secretEnv.privacyKey]: masterKey }, { privacy: { master_key: masterKey } }, 'EARSHOT_CONFIG/privacy/master_key is also given by EARSHOT_PRIVACY_KEY'],
    ['settings that are not JSON', {}, undefined, 'EARSHOT_CONFIG is not valid JSON'],
    [
      'one key on two platforms',
      { [secretEnv.platformKeys]: JSON.stringify({ p1: [platformKey], p2: [platformKey] }) },
      { platforms: [{ id: 'p1' }, { id: 'p2' }] },
      'EARSHOT_CONFIG/platforms/1/keys/0 is the same key as /platforms/0/keys/0',
    ],
    [
      'a platform key that is also an advertiser key',
      { [secretEnv.platformKeys]: JSON.stringify({ p1: [platformKey] }), [secretEnv.advertiserKeys]: JSON.stringify({ a1: [platformKey] }) },
      settings,
      'EARSHOT_CONFIG/advertisers/0/keys/0 is the same key as /platforms/0/keys/0',
    ],
    ['settings the schema refuses', {}, { counting: { window: 'weekly' } }, 'EARSHOT_CONFIG/counting/window must be one of'],
  ];
  for (const [name, secrets, document, expected] of refused) {
    it(`refuses ${name}`, () => {
      const env = document === undefined ? { [settingsEnv]: '{"platforms": [' } : envWith(secrets, document);
      const resolved = tryResolveConfig(env);
      expect(resolved.ok).toBe(false);
      if (resolved.ok) return;
      const described = resolved.errors.map((e) => `${e.path} ${e.message}`);
      expect(described.some((line) => line.startsWith(expected)), described.join('; ')).toBe(true);
      for (const text of Object.values(secrets)) expect(described.join(' ')).not.toContain(text.slice(0, 12));
    });
  }
});

describe('tryResolveConfig: vendor public keys travel in EARSHOT_VENDOR_SECRETS with the secrets', () => {
  const whpk = 'whpk_' + Buffer.from('fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'hex').toString('base64');
  const cases: Record<string, string[]> = {
    'a public key alone': [whpk],
    'a secret and a public key (moving to a key pair)': [whsec, whpk],
  };
  for (const [name, keys] of Object.entries(cases)) {
    it(`merges ${name}`, () => {
      const resolved = tryResolveConfig(envWith({ ...allSecrets, [secretEnv.vendorSecrets]: JSON.stringify({ v1: keys }) }));
      expect(resolved.ok && resolved.value.vendors).toEqual([{ id: 'v1', format: 'canonical', secrets: keys }]);
    });
  }
  it('refuses a malformed public key, naming the variable and not the key', () => {
    const bad = whpk.slice(0, -4) + '-_-=';
    const resolved = tryResolveConfig(envWith({ ...allSecrets, [secretEnv.vendorSecrets]: JSON.stringify({ v1: [whsec, bad] }) }));
    expect(resolved.ok).toBe(false);
    const described = resolved.ok ? '' : resolved.errors.map((e) => `${e.path} ${e.message}`).join('; ');
    expect(described).toMatch(/^EARSHOT_VENDOR_SECRETS\/v1\/1 must match pattern/);
    expect(described).not.toContain(bad.slice(5, 20));
  });
});

describe('a secret withheld from a function', () => {
  const resolved = tryResolveConfig(envWith({}));
  const config = resolved.ok ? resolved.value : undefined;
  it('authenticates no platform, advertiser, analyst or vendor', () => {
    expect([config?.platforms[0]?.keys, config?.advertisers[0]?.keys, config?.analysts[0]?.keys, config?.vendors[0]?.secrets]).toEqual([[], [], [], []]);
    const directory = computeVendorDirectory(config?.vendors ?? []);
    expect(directory.get('v1')?.keys).toEqual([]);
  });
  it('is refused where a study salt or the master key would be derived from', () => {
    const study = config?.studies[0];
    expect(study?.salt).toBe('');
    expect(() => computeAssignment({ id: 's1', holdout_share: 0.1, salt: study?.salt ?? '' }, Buffer.from('ip:1'))).toThrow('a lift study needs its salt, and this function is not given it');
    expect(() => new HouseholdKeyer(config?.privacy.master_key ?? '')).toThrow('household keys need the privacy master key, and this function is not given it');
  });
});

describe('tryResolveConfig and withheld keys', () => {
  it('accepts several platforms whose keys are withheld (they share one stand-in)', () => {
    const resolved = tryResolveConfig({ [settingsEnv]: JSON.stringify({ platforms: [{ id: 'p1' }, { id: 'p2' }] }) });
    expect(resolved.ok).toBe(true);
  });
});

describe('tryMergeSecrets', () => {
  it('records the secret fields left withheld, by JSON Pointer and variable', () => {
    const merged = tryMergeSecrets(structuredClone(settings), { vendorSecrets: JSON.stringify({ v1: [whsec] }) });
    expect(merged.ok && merged.value.withheld).toEqual([
      { path: '/platforms/0/keys', env: secretEnv.platformKeys },
      { path: '/advertisers/0/keys', env: secretEnv.advertiserKeys },
      { path: '/advertisers/1/keys', env: secretEnv.advertiserKeys },
      { path: '/analysts/0/keys', env: secretEnv.analystKeys },
      { path: '/studies/0/salt', env: secretEnv.studySalts },
      { path: '/privacy/master_key', env: secretEnv.privacyKey },
    ]);
  });

  it('leaves the document it was given unchanged', () => {
    const document = structuredClone(settings);
    tryMergeSecrets(document, { platformKeys: JSON.stringify({ p1: [platformKey] }) });
    expect(document).toEqual(settings);
  });

  it('refuses a document that is not an object', () => {
    expect(tryMergeSecrets([], {})).toEqual({ ok: false, errors: [{ path: settingsEnv, rule: 'type', message: 'must be a JSON object' }] });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPlatformKeys, resolvePlatformTarget } from '../../../cli/intake/target.ts';

const dir = mkdtempSync(join(tmpdir(), 'earshot-platform-keys-'));
const configWith = (text: string) => {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, text);
  return path;
};

describe('readPlatformKeys', () => {
  it('reads each platform id and its first key', () => {
    const path = configWith(JSON.stringify({ platforms: [{ id: 'acme', keys: ['k1', 'k2'] }, { id: 'beta', keys: ['k3'] }], vendors: [] }));
    expect(readPlatformKeys(path)).toEqual([{ id: 'acme', key: 'k1' }, { id: 'beta', key: 'k3' }]);
  });

  it.each([
    ['not JSON', '{"platforms": [', /is invalid: \/: json/],
    ['not an object', '[]', /\/: type: must be object/],
    ['platforms not a list', '{"platforms": {}}', /\/platforms: type: must be array/],
    ['a platform without an id', '{"platforms": [{"keys": ["k"]}]}', /\/platforms\/0\/id: must be a non-empty string/],
    ['a platform without keys', '{"platforms": [{"id": "acme", "keys": []}]}', /\/platforms\/0\/keys: must hold at least one key/],
    ['a key that is not text', '{"platforms": [{"id": "acme", "keys": [7]}]}', /\/platforms\/0\/keys: must hold at least one key/],
  ])('refuses %s, naming where', (_, text, reason) => {
    expect(() => readPlatformKeys(configWith(text))).toThrow(reason);
  });

  it('says to start Earshot when there is no config', () => {
    expect(() => readPlatformKeys(join(dir, 'missing.json'))).toThrow(/run earshot start first/);
  });
});

describe('resolvePlatformTarget', () => {
  const path = configWith(JSON.stringify({ platforms: [{ id: 'acme', keys: ['k1'] }, { id: 'beta', keys: ['k3'] }] }));

  it('sends as the first platform, or the one named', () => {
    expect(resolvePlatformTarget({ url: 'http://127.0.0.1:9/', data: dir, config: path })).toEqual({ base: 'http://127.0.0.1:9', platform: 'acme', key: 'k1' });
    expect(resolvePlatformTarget({ url: 'http://127.0.0.1:9', data: dir, config: path, platform: 'beta' })).toMatchObject({ platform: 'beta', key: 'k3' });
  });

  it('refuses a platform the config does not have', () => {
    expect(() => resolvePlatformTarget({ url: 'http://127.0.0.1:9', data: dir, config: path, platform: 'gamma' })).toThrow(/no platform "gamma"/);
    expect(() => resolvePlatformTarget({ url: 'http://127.0.0.1:9', data: dir, config: configWith('{}') })).toThrow(/no platform to send as/);
  });
});

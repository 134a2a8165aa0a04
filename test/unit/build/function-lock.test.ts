import { describe, expect, it } from 'vitest';
import { computeFunctionLock, resolveInLock, type PackageLock } from '../../../scripts/function-lock.ts';

// A root tree with what the cut must get right: a nested copy of a package at another version, a
// shared dependency, an optional platform package missing from the lock, dev-only packages.
const root: PackageLock = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'earshot', dependencies: { sdk: '^2.0.0', other: '^1.0.0' }, devDependencies: { tool: '^1.0.0' } },
    'node_modules/sdk': { version: '2.1.0', integrity: 'sha512-sdk', dependencies: { util: '^1.0.0', proto: '^3.0.0' }, optionalDependencies: { 'native-linux-x64': '1.0.0' } },
    'node_modules/sdk/node_modules/proto': { version: '3.2.0', integrity: 'sha512-proto3', dependencies: { util: '^1.0.0' } },
    'node_modules/proto': { version: '2.0.0', integrity: 'sha512-proto2', dev: true },
    'node_modules/util': { version: '1.4.0', integrity: 'sha512-util', devOptional: true },
    'node_modules/other': { version: '1.0.0', integrity: 'sha512-other' },
    'node_modules/tool': { version: '1.0.0', integrity: 'sha512-tool', dev: true, dependencies: { proto: '^2.0.0' } },
  },
};

describe('computeFunctionLock', () => {
  const { dependencies, lock } = computeFunctionLock(root, 'beacon', ['sdk']);

  it('pins the imported packages at the versions the root lock resolved', () => {
    expect(dependencies).toEqual({ sdk: '2.1.0' });
    expect(lock.packages['']).toEqual({ name: 'earshot-beacon', dependencies: { sdk: '2.1.0' } });
  });

  it('keeps exactly their closure, each package where Node finds it from its dependant', () => {
    expect(Object.keys(lock.packages).sort()).toEqual(['', 'node_modules/sdk', 'node_modules/sdk/node_modules/proto', 'node_modules/util']);
    expect(resolveInLock(lock.packages, 'node_modules/sdk', 'proto')).toBe('node_modules/sdk/node_modules/proto');
    expect(resolveInLock(lock.packages, 'node_modules/sdk/node_modules/proto', 'util')).toBe('node_modules/util');
  });

  it('drops the root project’s development flags', () => {
    expect(lock.packages['node_modules/util']).toEqual({ version: '1.4.0', integrity: 'sha512-util', optional: true });
    expect(Object.values(lock.packages).some((e) => e.dev)).toBe(false);
  });

  it('refuses an import or a required dependency the root lock lacks', () => {
    expect(() => computeFunctionLock(root, 'beacon', ['missing'])).toThrow(/beacon imports missing/);
    const broken: PackageLock = { lockfileVersion: 3, packages: { ...root.packages, 'node_modules/other': { version: '1.0.0', dependencies: { gone: '1' } } } };
    expect(() => computeFunctionLock(broken, 'x', ['other'])).toThrow(/node_modules\/other needs gone/);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInLock, type PackageLock } from '../../../scripts/function-lock.ts';
import { opawgFileNames } from '../../../shared/adapters/data/load-pattern-lists.ts';
import { geoPackages } from '../../../shared/adapters/data/packaged-ip-lookup.ts';
import { asnBinaryName, computeAsnPackageSource, openPackagedAsnTables } from '../../../shared/adapters/data/packaged-asn-tables.ts';
import { tryReadAsnBinarySource } from '../../../shared/domain/geo/asn-binary.ts';
import { fixedConfig } from '../../support/fixed-config.ts';
import { passesTcpProbe, startUnderFramework, type StartedFunction } from '../../support/built-function.ts';
import { readFunctionFacts, repoRoot, type FunctionFacts } from '../terraform/code-facts.ts';

// `npm run build` into a folder of its own, then the archives as Cloud Functions gets them.
const work = mkdtempSync(join(tmpdir(), 'earshot-build-'));
const dist = join(work, 'dist');
const uaList = join(work, 'ua');
const rootLock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as PackageLock;
// The package behind each port of shared/composition/cloud-ports/: Pub/Sub, Firestore and BigQuery
// are called over REST with google-auth-library's tokens (shared/adapters/gcp/google-api.ts).
const sdkOfPort: Record<string, readonly string[]> = { bus: ['google-auth-library', '@grpc/grpc-js'], state: ['google-auth-library'], warehouse: ['google-auth-library'], reports: ['google-auth-library'] };
// The functions that take requests in look their addresses up before hashing them: they ship the geo databases.
const intakeFunctions = new Set(['beacon', 'cdnlogs', 'logobjects']);

interface ManifestEntry {
  archive: string;
  entry_point: string;
  dependencies: Record<string, string>;
}
let manifest: Record<string, ManifestEntry>;
let facts: FunctionFacts[];
const running: StartedFunction[] = [];

beforeAll(async () => {
  mkdirSync(uaList);
  const entries = { entries: [{ name: 'Example Player', pattern: '^ExamplePlayer/' }] };
  for (const file of Object.values(opawgFileNames)) writeFileSync(join(uaList, file), JSON.stringify(entries));
  execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/build.js'), '--out', dist, '--ua-list', uaList], { cwd: repoRoot, stdio: 'pipe' });
  manifest = JSON.parse(readFileSync(join(dist, 'functions.json'), 'utf8')) as Record<string, ManifestEntry>;
  facts = await readFunctionFacts();
  // Stands in for the `npm ci` of the deploy: the same versions, from the root install.
  symlinkSync(join(repoRoot, 'node_modules'), join(dist, 'functions', 'node_modules'));
}, 120_000);

afterAll(() => {
  for (const f of running) f.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const folder = (name: string) => join(dist, 'functions', name);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

describe('function archives', () => {
  it('hold the loader, the bundle, package.json, its lock and the bundled ua-list', () => {
    for (const [name, entry] of Object.entries(manifest)) {
      const files = execFileSync('unzip', ['-Z1', join(dist, entry.archive)], { encoding: 'utf8' }).trim().split('\n');
      expect(files, name).toEqual(expect.arrayContaining(['index.js', 'main.js', 'main.js.map', 'package.json', 'package-lock.json', ...Object.values(opawgFileNames).map((f) => `ua-list/${f}`)]));
    }
  });

  it('install only functions-framework, the SDKs of the ports each handler takes and, for intake, the geo databases', () => {
    expect(Object.keys(manifest).sort()).toEqual(facts.map((f) => f.name).sort());
    for (const f of facts) {
      const sdks = [...new Set(f.ports.flatMap((port) => sdkOfPort[port] ?? []))];
      const data = intakeFunctions.has(f.name) ? Object.values(geoPackages) : [];
      const expected = ['@google-cloud/functions-framework', ...sdks, ...data].sort();
      expect(Object.keys(readJson<{ dependencies: Record<string, string> }>(join(folder(f.name), 'package.json')).dependencies), f.name).toEqual(expected);
      expect(Object.keys(manifest[f.name]?.dependencies ?? {}), f.name).toEqual(expected);
    }
    // Each package is somebody's, so the test above is not passing on empty lists.
    expect(new Set(Object.values(manifest).flatMap((m) => Object.keys(m.dependencies))).size).toBe(3 + Object.keys(geoPackages).length);
  });

  it('for intake, carry the ASN lists in binary form, made from the installed package version', () => {
    for (const [name, entry] of Object.entries(manifest)) {
      const files = execFileSync('unzip', ['-Z1', join(dist, entry.archive)], { encoding: 'utf8' }).trim().split('\n');
      expect(files.includes(asnBinaryName), name).toBe(intakeFunctions.has(name));
    }
    for (const name of intakeFunctions) {
      const file = join(folder(name), asnBinaryName);
      expect(tryReadAsnBinarySource(readFileSync(file)), name).toBe(computeAsnPackageSource());
      expect(openPackagedAsnTables(file).form, name).toBe('binary');
    }
  });

  it("carry validators generated from the schemas at build time, not ajv's compiler", () => {
    for (const name of Object.keys(manifest)) {
      const bundle = readFileSync(join(folder(name), 'main.js'), 'utf8');
      expect(bundle, name).toContain('declare validators (validatorFor) where a module loads');
      // A message of ajv's schema compiler: the bundles compile no schema.
      expect(bundle, name).not.toContain('schema must be object or boolean');
    }
  });

  it('pin each dependency at the exact version of the root lock', () => {
    for (const name of Object.keys(manifest)) {
      const { dependencies } = readJson<{ dependencies: Record<string, string> }>(join(folder(name), 'package.json'));
      for (const [dep, version] of Object.entries(dependencies)) {
        expect(version, `${name} ${dep}`).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
        expect(version, `${name} ${dep}`).toBe(rootLock.packages[`node_modules/${dep}`]?.version);
      }
    }
  });

  it('ship a lock that agrees with package.json, is complete, and matches the root lock entry for entry', () => {
    for (const name of Object.keys(manifest)) {
      const { dependencies } = readJson<{ dependencies: Record<string, string> }>(join(folder(name), 'package.json'));
      const lock = readJson<PackageLock>(join(folder(name), 'package-lock.json'));
      expect(lock.lockfileVersion).toBe(3);
      expect(lock.packages['']?.dependencies, name).toEqual(dependencies);
      const paths = Object.keys(lock.packages).filter((p) => p !== '');
      expect(paths.length, name).toBeGreaterThan(Object.keys(dependencies).length);
      for (const path of paths) {
        const entry = lock.packages[path];
        const original = rootLock.packages[path];
        expect(entry?.version, `${name} ${path}`).toBe(original?.version);
        expect(entry?.integrity, `${name} ${path}`).toBe(original?.integrity);
        expect(entry?.dev, `${name} ${path}`).toBeUndefined();
        for (const dep of Object.keys(entry?.dependencies ?? {})) expect(resolveInLock(lock.packages, path, dep), `${name} ${path} -> ${dep}`).toBeDefined();
      }
      // No Google SDK (the tests' tools, not the functions'), nor the local stack, comes along.
      for (const sdk of ['bigquery', 'pubsub', 'firestore']) expect(paths).not.toContain(`node_modules/@google-cloud/${sdk}`);
      expect(paths).not.toContain('node_modules/@duckdb/node-api');
      expect(paths).not.toContain('node_modules/lmdb');
    }
  });
});

describe('a built function under functions-framework', () => {
  it('with an invalid configuration exits 1 at start with one Cloud Logging line, its stack in the TypeScript sources', async () => {
    const started = await startUnderFramework(folder('count'), 'count', { EARSHOT_CONFIG: '{"platforms":"none"}' });
    running.push(started);
    expect(await passesTcpProbe(started, 15_000)).toBe(false);
    expect(await started.exited).toBe(1);
    const lines = started.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] as string) as { severity: string; message: string };
    expect(entry.severity).toBe('ERROR');
    expect(entry.message).toMatch(/^count cannot start: Error: configuration is invalid: EARSHOT_CONFIG\/platforms must be array\n/);
    // Source maps are on: the frames name the TypeScript files, not the minified bundle.
    expect(entry.message).toMatch(/shared\/composition\/runtime\.ts:\d+:\d+/);
    expect(started.stderr()).toBe('');
  }, 30_000);

  it('with a ua_list the archive does not hold exits 1 at start', async () => {
    const started = await startUnderFramework(folder('count'), 'count', { EARSHOT_CONFIG: JSON.stringify({ ...fixedConfig, ua_list: 'no-such-list' }) });
    running.push(started);
    expect(await started.exited).toBe(1);
    expect((JSON.parse(started.stdout().trim()) as { message: string }).message).toMatch(/^count cannot start: Error: ua_list is invalid: no-such-list cannot be read/);
  }, 30_000);

  it('with a valid configuration and the bundled ua-list starts and passes the TCP startup probe', async () => {
    const started = await startUnderFramework(folder('count'), 'count', { EARSHOT_CONFIG: JSON.stringify({ ...fixedConfig, ua_list: 'ua-list' }) });
    running.push(started);
    expect(await passesTcpProbe(started, 15_000)).toBe(true);
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(started.stdout()).toBe('');
  }, 30_000);
});

import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { SecretConcern } from '../../../shared/platform/config/merge-secrets.ts';
import { httpFunctions, pubsubFunctions } from '../../../shared/composition/function-catalog.ts';

/** What the code says a function is and touches; Terraform must match it. */
export interface FunctionFacts {
  name: string;
  /** The name index.ts registers with functions-framework (`http(name, ...)` / `cloudEvent(name, ...)`). */
  entryPoint: string;
  signature: 'http' | 'cloudEvent';
  /** Whether index.ts serves Pub/Sub pushes (`startPubsubFunction`) rather than HTTP requests. */
  servesPush: boolean;
  /** Topic its push subscription reads (function catalog); undefined for HTTP functions. */
  triggerTopic: string | undefined;
  /** Topics any module it imports publishes to (`bus.publish('<topic>', ...)`). */
  publishes: string[];
  /** The Runtime members its handler asks for (`Pick<Runtime, ...>`). */
  ports: string[];
  /** Environment variables any module it imports reads from process.env by name (cloudEnv aside). */
  envReads: string[];
  /** State collections any module it imports names (`export const xCollection = '...'`). */
  collections: string[];
  /** Sections of the configuration its code touches (`config.<section>`). */
  configSections: string[];
  /** Secret concerns (shared/platform/config/merge-secrets.ts) its code reads, by `secretReaders`. */
  secretReads: SecretConcern[];
}

/**
 * How code reads each secret concern: the one expression that hands the secret field to what uses
 * it. Bearer keys are read by `BearerKeys` (it hashes every entry's `keys`), vendor secrets by the
 * vendor directory (it decodes every `secrets`), the master key directly; a study's salt by
 * `computeAssignment`, the one function that computes arms from it (intake reads only the studies'
 * ids and campaigns).
 */
export const secretReaders: Record<SecretConcern, RegExp> = {
  platformKeys: /new BearerKeys\(\s*[\w.]*\bconfig\.platforms\b/,
  vendorSecrets: /\bcomputeVendorDirectory\(\s*[\w.]*\bconfig\.vendors\b/,
  advertiserKeys: /new BearerKeys\(\s*[\w.]*\bconfig\.advertisers\b/,
  analystKeys: /new BearerKeys\(\s*[\w.]*\bconfig\.analysts\b/,
  studySalts: /\bcomputeAssignment\(/,
  privacyKey: /\bconfig\.privacy\.master_key\b/,
};

export const repoRoot = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');
const all = (text: string, pattern: RegExp, group = 1) => [...text.matchAll(pattern)].map((m) => m[group] as string);

// The runtime and the adapters behind the ports; what a function uses is in its own modules.
const runtimeWide = /^shared\/(composition\/runtime\.ts|adapters\/|composition\/cloud-ports\/)/;
// Where the configuration is declared and assembled, not used.
const configWide = /^shared\/(contracts\/schemas|platform\/config)\//;

/** Source files a function's bundle includes (esbuild's import graph). */
async function sourcesOf(name: string): Promise<string[]> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [`functions/${name}/index.ts`],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

/** Facts about every function in the catalog, read from the code. */
export async function readFunctionFacts(): Promise<FunctionFacts[]> {
  const catalog: Record<string, string | undefined> = {
    ...Object.fromEntries(httpFunctions.map((name) => [name, undefined])),
    ...pubsubFunctions,
  };
  return Promise.all(
    Object.entries(catalog).map(async ([name, triggerTopic]) => {
      const index = read(`functions/${name}/index.ts`);
      const registration = /\b(http|cloudEvent)\(\s*'([^']+)'/.exec(index);
      if (!registration) throw new Error(`functions/${name}/index.ts registers no function`);
      const files = await sourcesOf(name);
      const everything = files.map(read).join('\n');
      const sources = files.filter((path) => !runtimeWide.test(path)).map(read).join('\n');
      const users = files.filter((path) => !runtimeWide.test(path) && !configWide.test(path)).map(read).join('\n');
      const handler = read(`functions/${name}/handler.ts`);
      const picked = /Pick<Runtime,([^>]+)>/.exec(handler)?.[1] ?? '';
      return {
        name,
        entryPoint: registration[2] as string,
        signature: registration[1] as 'http' | 'cloudEvent',
        servesPush: /\bstartPubsubFunction\(/.test(index),
        triggerTopic,
        publishes: [...new Set(all(sources, /\.publish\(\s*'([a-z_]+)'/g))].sort(),
        ports: all(picked, /'(\w+)'/g).sort(),
        envReads: [...new Set(all(everything, /process\.env(?:\.|\[\s*')([A-Z_][A-Z0-9_]*)/g))].sort(),
        collections: [...new Set(all(sources, /export const \w+Collection\s*=\s*'([^']+)'/g))].sort(),
        configSections: [...new Set(all(users, /(?<![\w/-])config\.(\w+)/g))].sort(),
        secretReads: (Object.keys(secretReaders) as SecretConcern[]).filter((concern) => secretReaders[concern].test(users)).sort(),
      };
    }),
  );
}

/** The topics of the `Topic` type in shared/contracts/ports.ts. */
export function readTopics(): string[] {
  const declared = /export type Topic\s*=([^;]+);/.exec(read('shared/contracts/ports.ts'));
  if (!declared) throw new Error('shared/contracts/ports.ts declares no Topic type');
  return all(declared[1] as string, /'([^']+)'/g).sort();
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

/**
 * What each layer of the code may import (docs/architecture.md, "Layers"): inner layers know
 * nothing of outer ones. A Cloud Function imports only `shared/` and its own folder; `shared/`
 * never imports a function or the CLI.
 */
const mayImport: Record<string, readonly string[]> = {
  contracts: ['contracts'],
  platform: ['contracts', 'platform'],
  domain: ['contracts', 'platform', 'domain'],
  application: ['contracts', 'platform', 'domain', 'application'],
  adapters: ['contracts', 'platform', 'domain', 'application', 'adapters'],
  composition: ['contracts', 'platform', 'domain', 'application', 'adapters', 'composition'],
};
const sharedLayers = Object.keys(mayImport);

function layerOf(file: string): string {
  const [top, second, third] = file.split('/');
  if (top === 'shared') return second && sharedLayers.includes(second) ? second : `shared/${second ?? ''}`;
  if (top === 'functions') return `functions/${second === undefined || third === undefined ? '' : second}`;
  return top ?? '';
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

const importRe = /(?:^|\n)\s*(?:import|export)[^'";]*?from\s*'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(importRe)].map((m) => relative(root, normalize(join(root, dirname(file), m[1] ?? m[2] ?? ''))));
}

const files = [...sourceFiles('shared'), ...sourceFiles('functions')];

describe('layers', () => {
  it('put every file of shared/ in a layer', () => {
    expect(files.filter((f) => f.startsWith('shared/') && !sharedLayers.includes(f.split('/')[1] ?? ''))).toEqual([]);
  });

  it('import only inward: each layer of shared/ only the layers it may, a function only shared/ and itself', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        const allowed = from.startsWith('functions/') ? sharedLayers.includes(to) || to === from : (mayImport[from] ?? []).includes(to);
        if (!allowed) wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('are checked on real imports, not on an empty list', () => {
    const imports = files.flatMap(importsOf);
    expect(imports.length).toBeGreaterThan(500);
    for (const layer of sharedLayers) expect(imports.some((t) => layerOf(t) === layer), layer).toBe(true);
  });
});

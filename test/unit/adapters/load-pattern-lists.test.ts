import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeErrors } from '../../../shared/platform/config/parse-config.ts';
import { loadDefaultClassifier, loadOpawgDirectory, loadUaClassifier, opawgFileNames } from '../../../shared/adapters/data/load-pattern-lists.ts';

// Small fixture files in the OPAWG format: tests must not read ../shared (a fresh clone lacks it).
const fixture: Record<keyof typeof opawgFileNames, unknown> = {
  bots: { $schema: 'https://opawg.org/patterns', entries: [{ name: 'Example Bot', pattern: 'ExampleBot/' }] },
  apps: { entries: [{ name: 'Example Player', pattern: '^ExamplePlayer/', examples: ['ExamplePlayer/1.0'], platforms: ['ios'] }] },
  libraries: { entries: [{ name: 'fetchy', pattern: '^fetchy/', category: 'bot' }, { name: 'Player Kit', pattern: 'PlayerKit/' }] },
  browsers: { entries: [{ name: 'Example Browser', pattern: 'ExampleBrowser/' }] },
  devices: { entries: [{ name: 'Example Phone', pattern: 'ExamplePhone', category: 'mobile' }] },
};

const root = mkdtempSync(join(tmpdir(), 'earshot-ua-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folders = 0;
/** A fresh folder holding the fixture, with some files replaced (text) or left out (null). */
function writeFolder(changes: Partial<Record<keyof typeof opawgFileNames, string | null>> = {}): string {
  const dir = join(root, String(folders++));
  mkdirSync(dir);
  for (const [list, file] of Object.entries(opawgFileNames) as Array<[keyof typeof opawgFileNames, string]>) {
    const text = list in changes ? changes[list] : JSON.stringify(fixture[list]);
    if (text !== null && text !== undefined) writeFileSync(join(dir, file), text);
  }
  return dir;
}

async function loadError(dir: string): Promise<string> {
  const result = await loadOpawgDirectory(dir);
  if (result.ok) throw new Error(`${dir} loaded`);
  return describeErrors(result.errors);
}

describe('loadOpawgDirectory', () => {
  it('classifies with the folder’s lists, in OPAWG order', async () => {
    const result = await loadOpawgDirectory(writeFolder());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const ua = result.value;
    expect(ua.classify('ExamplePlayer/1.0 ExamplePhone')).toEqual({
      type: 'app',
      name: 'Example Player',
      device: 'Example Phone',
      device_category: 'mobile',
      bot: false,
    });
    expect(ua.classify('ExamplePlayer/1.0 ExampleBot/2')).toMatchObject({ type: 'bot', name: 'Example Bot', bot: true });
    expect(ua.classify('fetchy/1.0')).toMatchObject({ type: 'library', bot: true });
    expect(ua.classify('PlayerKit/3 ExampleBrowser/1')).toMatchObject({ type: 'library', name: 'Player Kit', bot: false });
    expect(ua.classify('Mozilla/5.0 ExampleBrowser/1')).toMatchObject({ type: 'browser', bot: false });
    expect(ua.classify('Overcast/3.0')).toEqual({ type: 'unknown', name: null, device: null, device_category: null, bot: false });
  });

  const bad: Record<string, { dir: () => string; names: RegExp }> = {
    'a folder that does not exist': { dir: () => join(root, 'missing'), names: /missing cannot be read \(ENOENT\)/ },
    'a file instead of a folder': { dir: () => join(writeFolder(), 'apps.json'), names: /apps\.json is not a directory/ },
    'a missing file': { dir: () => writeFolder({ devices: null }), names: /devices\.json#\/ cannot be read \(ENOENT\)/ },
    'a file that is not JSON': { dir: () => writeFolder({ apps: '{"entries": [' }), names: /apps\.json#\/ / },
    'a file of the wrong shape': {
      dir: () => writeFolder({ browsers: '{"entries": [{"pattern": "x"}]}' }),
      names: /browsers\.json#\/entries\/0\/name is required/,
    },
    'a pattern that does not compile': {
      dir: () => writeFolder({ libraries: JSON.stringify({ entries: [{ name: 'Broken', pattern: '[unclosed' }] }) }),
      names: /libraries\.json#\/entries\/0\/pattern entry "Broken"/,
    },
  };
  for (const [name, { dir, names }] of Object.entries(bad)) {
    it(`refuses ${name}, naming the file`, async () => expect(await loadError(dir())).toMatch(names));
  }
});

describe('loadUaClassifier', () => {
  it('uses the built-in list without a folder', async () => {
    const result = await loadUaClassifier(undefined);
    expect(result.ok && result.value.classify('Overcast/3.0 (+http://overcast.fm/; iOS podcast app)').name).toBe('Overcast');
  });

  it('uses the folder when given', async () => {
    const result = await loadUaClassifier(writeFolder());
    expect(result.ok && result.value.classify('Overcast/3.0').type).toBe('unknown');
  });

  it('builds independent classifiers from the built-in list', () => {
    expect(loadDefaultClassifier()).not.toBe(loadDefaultClassifier());
  });
});

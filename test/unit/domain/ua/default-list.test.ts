import { describe, expect, it } from 'vitest';
import { defaultPatternLists } from '../../../../shared/domain/ua/default-list/index.ts';
import { entry } from '../../../../shared/domain/ua/default-list/entry.ts';
import { tryParsePatternFile, type PatternFile } from '../../../../shared/domain/ua/pattern-file.ts';

describe('the built-in pattern list', () => {
  for (const [list, file] of Object.entries(defaultPatternLists) as Array<[string, PatternFile]>) {
    it(`${list} is a valid OPAWG patterns file`, () => expect(tryParsePatternFile(JSON.stringify(file), `${list}.json`)).toMatchObject({ ok: true }));

    it(`${list} names each entry once`, () => {
      const names = file.entries.map((e) => e.name);
      expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    });
  }

  it('gives devices a category and nothing else one but "bot" on libraries', () => {
    expect(defaultPatternLists.devices.entries.filter((e) => !e.category)).toEqual([]);
    const categorised = [...defaultPatternLists.bots.entries, ...defaultPatternLists.apps.entries, ...defaultPatternLists.browsers.entries];
    expect(categorised.filter((e) => e.category !== undefined)).toEqual([]);
    expect(new Set(defaultPatternLists.libraries.entries.flatMap((e) => (e.category ? [e.category] : [])))).toEqual(new Set(['bot']));
  });
});

describe('entry', () => {
  it('stores a regex literal as its source', () => expect(entry('Overcast', /^Overcast\//)).toEqual({ name: 'Overcast', pattern: '^Overcast\\/' }));
  it('keeps a category', () => expect(entry('curl', /^curl\//, 'bot')).toMatchObject({ category: 'bot' }));
  it('refuses flags, which a patterns file cannot carry', () => expect(() => entry('x', /x/i)).toThrow(/flags/));
});

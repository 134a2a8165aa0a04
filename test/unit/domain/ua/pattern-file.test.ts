import { describe, expect, it } from 'vitest';
import { tryParsePatternFile } from '../../../../shared/domain/ua/pattern-file.ts';

describe('tryParsePatternFile', () => {
  const accepted: Record<string, unknown> = {
    'a minimal file': { entries: [{ name: 'Overcast', pattern: '^Overcast/' }] },
    'an empty list': { entries: [] },
    'every documented field': {
      $schema: 'https://opawg.org/patterns',
      comments: ['first match wins'],
      entries: [
        {
          name: 'curl',
          pattern: '^curl/',
          description: 'command-line tool',
          examples: ['curl/8.4.0'],
          category: 'bot',
          urls: ['https://curl.se'],
          svg: 'curl.svg',
          comments: 'scripted',
        },
      ],
    },
    'fields a newer release may add': { version: 3, entries: [{ name: 'X', pattern: 'X/', platforms: ['ios'], added: '2030-01-01' }] },
  };
  for (const [name, file] of Object.entries(accepted)) {
    it(`accepts ${name}`, () => expect(tryParsePatternFile(JSON.stringify(file), 'apps.json')).toMatchObject({ ok: true, value: file }));
  }

  const refused: Record<string, { text: string; path: string; rule: string; message?: RegExp }> = {
    'text that is not JSON': { text: '{entries:', path: 'apps.json#/', rule: 'json' },
    'a file without entries': { text: '{}', path: 'apps.json#/entries', rule: 'required' },
    'an entry without a pattern': { text: '{"entries":[{"name":"A"}]}', path: 'apps.json#/entries/0/pattern', rule: 'required' },
    'a pattern that is not a string': { text: '{"entries":[{"name":"A","pattern":1}]}', path: 'apps.json#/entries/0/pattern', rule: 'type' },
    'examples that are not strings': { text: '{"entries":[{"name":"A","pattern":"A","examples":[1]}]}', path: 'apps.json#/entries/0/examples/0', rule: 'type' },
    'a pattern that does not compile': {
      text: '{"entries":[{"name":"Fine","pattern":"^A"},{"name":"Broken","pattern":"(unclosed"}]}',
      path: 'apps.json#/entries/1/pattern',
      rule: 'regexp',
      message: /entry "Broken".*Invalid regular expression/,
    },
  };
  for (const [name, { text, path, rule, message }] of Object.entries(refused)) {
    it(`refuses ${name}, naming the file`, () => {
      const result = tryParsePatternFile(text, 'apps.json');
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors[0]).toMatchObject({ path, rule });
      if (message) expect(result.errors[0]?.message).toMatch(message);
    });
  }
});

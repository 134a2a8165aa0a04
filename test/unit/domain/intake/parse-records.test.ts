import { describe, expect, it } from 'vitest';
import { countArrayElements } from '../../../../shared/domain/intake/count-array-elements.ts';
import { tryParseRecords } from '../../../../shared/domain/intake/parse-records.ts';

describe('tryParseRecords', () => {
  const cases: Record<string, { body: string; records: unknown[] }> = {
    'JSON array': { body: '[{"a":1},{"a":2}]', records: [{ a: 1 }, { a: 2 }] },
    'JSON array with leading whitespace': { body: '\n  [{"a":1}]', records: [{ a: 1 }] },
    NDJSON: { body: '{"a":1}\n{"a":2}\n', records: [{ a: 1 }, { a: 2 }] },
    'NDJSON with CRLF and blank lines': { body: '{"a":1}\r\n\r\n{"a":2}', records: [{ a: 1 }, { a: 2 }] },
    'one NDJSON line without newline': { body: '{"a":1}', records: [{ a: 1 }] },
    'empty array': { body: '[]', records: [] },
  };
  for (const [name, { body, records }] of Object.entries(cases)) {
    it(`parses ${name}`, () => expect(tryParseRecords(body)).toEqual({ ok: true, records }));
  }

  const refused: Record<string, { body: string; line: number }> = {
    'empty body': { body: '', line: 1 },
    'whitespace only': { body: ' \n ', line: 1 },
    'broken NDJSON line 3': { body: '{"a":1}\n{"a":2}\n{"a":', line: 3 },
    'broken array on line 2': { body: '[{"a":1},\n{"b":2,]', line: 2 },
    'unterminated array': { body: '[{"a":1}', line: 1 },
    'JSON object that is not NDJSON': { body: '{"a":\n1}', line: 1 },
  };
  for (const [name, { body, line }] of Object.entries(refused)) {
    it(`refuses ${name} naming line ${line}`, () => {
      const parsed = tryParseRecords(body);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok && parsed.reason === 'syntax') expect(parsed.line).toBe(line);
      else expect.unreachable('a syntax error');
    });
  }
});

describe('tryParseRecords with a record limit', () => {
  const cases: Record<string, { body: string; ok: boolean }> = {
    'NDJSON at the limit': { body: '{}\n{}\n{}', ok: true },
    'NDJSON at the limit with blank lines': { body: '\n{}\n\n{}\n\n{}\n\n', ok: true },
    'NDJSON over the limit': { body: '{}\n{}\n{}\n{}', ok: false },
    'an array at the limit': { body: '[{"a":",,,,"},[1,2,3],{"b":{"c":[4,5]}}]', ok: true },
    'an array over the limit': { body: '[{},{},{},{}]', ok: false },
    'an array over the limit, with escaped quotes in strings': { body: '["\\",", "\\"", 1, 2]', ok: false },
  };
  for (const [name, { body, ok }] of Object.entries(cases)) {
    it(`${ok ? 'parses' : 'refuses as too many'} ${name}`, () => {
      const parsed = tryParseRecords(body, 3);
      expect(parsed.ok ? 'ok' : parsed.reason).toBe(ok ? 'ok' : 'tooMany');
    });
  }
});

describe('countArrayElements', () => {
  const cases: Array<[string, number]> = [
    ['[1]', 1],
    ['[1,2,3]', 3],
    ['[{"a":1,"b":2},[3,4]]', 2],
    ['["a,b","c\\"d,e"]', 2],
    ['[1,2] , 3', 2],
  ];
  for (const [text, count] of cases) it(`counts ${count} in ${text}`, () => expect(countArrayElements(text, 0, 100)).toBe(count));

  it('stops once past the limit', () => expect(countArrayElements(`[${'1,'.repeat(1000)}1]`, 0, 10)).toBe(11));
});

import { describe, expect, it } from 'vitest';
import { tryParseRecords } from '../../../shared/intake/parse-records.ts';

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
      if (!parsed.ok) expect(parsed.line).toBe(line);
    });
  }
});

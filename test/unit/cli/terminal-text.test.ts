import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../cli/format-table.ts';
import { renderTerminalReport } from '../../../cli/report/terminal-report.ts';
import { escapeForTerminal, toTerminalJson } from '../../../cli/terminal-text.ts';

describe('escapeForTerminal', () => {
  const cases: Array<[string, string, string]> = [
    ['plain text', 'Overcast/3.0 (iPhone; iOS 17)', 'Overcast/3.0 (iPhone; iOS 17)'],
    ['an ANSI colour', '\x1b[31mred\x1b[0m', '\\x1b[31mred\\x1b[0m'],
    ['a window title (OSC)', '\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['a C1 CSI', 'a\u009b2Jb', 'a\\x9b2Jb'],
    ['DEL and NUL', 'a\x7f\x00b', 'a\\x7f\\x00b'],
    ['newline, carriage return and tab', 'a\nb\rc\td', 'a\\x0ab\\x0dc\\x09d'],
    ['a right-to-left override', 'file\u202egnp.exe', 'file\\u202egnp.exe'],
    ['bidi isolates and line separators', '\u2066x\u2069\u2028', '\\u2066x\\u2069\\u2028'],
    ['other Unicode', 'Café 🎧 日本', 'Café 🎧 日本'],
  ];
  for (const [name, input, output] of cases) it(`escapes ${name}`, () => expect(escapeForTerminal(input)).toBe(output));
});

describe('toTerminalJson', () => {
  it('is the same JSON with nothing a terminal acts on', () => {
    const value = [{ ua: '\x1b[2J\u009b\u202e\x7f', n: 1 }];
    const text = toTerminalJson(value);
    expect(JSON.parse(text)).toEqual(value);
    for (const c of ['\x1b', '\x9b', '\u202e', '\x7f']) expect(text).not.toContain(c);
  });
});

describe('terminal tables', () => {
  it('formatTable escapes cells and column names', () => {
    const text = formatTable(['ua\x1b[0m'], [{ 'ua\x1b[0m': '\x1b]0;title\x07' }]);
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\x07');
    expect(text).toContain('\\x1b]0;title\\x07');
  });

  it('the report escapes a section that is not available', () => {
    const empty = { ok: true as const, columns: [], rows: [] };
    const data = { delivery: { ok: false as const, reason: 'no table \x1b[2J' }, geography: empty, excluded: empty, reach: empty, discrepancy: empty, attribution: empty, lift: empty, liftDaily: empty };
    const text = renderTerminalReport(data as unknown as Parameters<typeof renderTerminalReport>[0], 'heading');
    expect(text).toContain('no table \\x1b[2J');
    expect(text).not.toContain('\x1b');
  });
});

describe('NDJSON of earshot classify and count', () => {
  it('stays the same JSON with C1 and bidi controls escaped', () => {
    const line = toTerminalJson({ ua: 'Evil\u009b31m\u202eUA', type: 'unknown' });
    expect(line).toBe('{"ua":"Evil\\u009b31m\\u202eUA","type":"unknown"}');
    expect(JSON.parse(line)).toEqual({ ua: 'Evil\u009b31m\u202eUA', type: 'unknown' });
  });
});

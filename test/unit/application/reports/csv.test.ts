import { describe, expect, it } from 'vitest';
import { toCsv, toCsvField } from '../../../../shared/application/reports/csv.ts';

describe('toCsvField: RFC 4180 quoting and inert formulas', () => {
  const cases: Array<[string | number | boolean | null, string]> = [
    ['plain', 'plain'],
    ['', ''],
    [null, ''],
    [42, '42'],
    [-3.5, '-3.5'],
    [true, 'true'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1-555', "'+1-555"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tleading tab', "'\tleading tab"],
    ['\rleading CR', `"'\rleading CR"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['a=b', 'a=b'],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} -> ${JSON.stringify(expected)}`, () => expect(toCsvField(value)).toBe(expected));
  }
});

describe('toCsv', () => {
  it('writes a header row and CRLF line ends, missing cells empty', () => {
    expect(toCsv(['a', 'b'], [{ a: 1, b: '=x' }, { a: null, b: 'y,z' }])).toBe("a,b\r\n1,'=x\r\n,\"y,z\"\r\n");
  });

  it('writes only the header for no rows', () => expect(toCsv(['a'], [])).toBe('a\r\n'));
});

import type { ReportRow } from '../../contracts/ports.ts';

// A spreadsheet runs a cell starting with these as a formula (OWASP CSV injection); a leading
// apostrophe makes it text and is hidden by the spreadsheet.
const formulaStart = /^[=+\-@\t\r]/;

/** One CSV field: formula starts neutralised, then RFC 4180 quoting where needed. */
export function toCsvField(value: ReportRow[string]): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180: a header row, CRLF line ends, fields quoted where they hold a quote, comma or line break. */
export function toCsv(columns: readonly string[], rows: readonly ReportRow[]): string {
  const lines = [columns.map((c) => toCsvField(c)), ...rows.map((row) => columns.map((c) => toCsvField(row[c] ?? null)))];
  return lines.map((fields) => fields.join(',') + '\r\n').join('');
}

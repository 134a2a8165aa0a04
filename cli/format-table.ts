import { escapeForTerminal } from './terminal-text.ts';

/** Rows as an aligned text table, for people reading a terminal; control characters escaped. */
export function formatTable(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const cell = (v: unknown) => escapeForTerminal(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const names = columns.map(escapeForTerminal);
  const cells = rows.map((row) => columns.map((c) => cell(row[c])));
  const widths = names.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length))));
  const line = (values: readonly string[]) =>
    values.map((v, i) => (v.length > (widths[i] ?? 0) ? v.slice(0, (widths[i] ?? 1) - 1) + '…' : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [line(names), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  return out.join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}

/** Rows as an aligned text table, for people reading a terminal. */
export function formatTable(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const cells = rows.map((row) => columns.map((c) => cell(row[c])));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length))));
  const line = (values: readonly string[]) =>
    values.map((v, i) => (v.length > (widths[i] ?? 0) ? v.slice(0, (widths[i] ?? 1) - 1) + '…' : v.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  const out = [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  return out.join('\n') + `\n(${rows.length} row${rows.length === 1 ? '' : 's'})\n`;
}

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { queryWarehouse } from '../local/query-warehouse.ts';
import { renderHtmlReport } from '../report/html-report.ts';
import { loadReportData } from '../report/report-data.ts';
import { renderTerminalReport } from '../report/terminal-report.ts';
import { UsageError } from '../usage-error.ts';

export const reportUsage = 'earshot report [--data .earshot] [--html FILE]';

/**
 * `earshot report`: delivery, reach and frequency, discrepancy, attribution and lift from the
 * local warehouse (also while `earshot start` runs), as tables in the terminal and, with
 * `--html`, as one self-contained HTML file with charts.
 */
export async function runReport(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string', default: '.earshot' }, html: { type: 'string' } },
    strict: true,
  });
  const data = await loadReportData((sql) => queryWarehouse(values.data, sql));
  const heading = `Earshot report: ${values.data}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  process.stdout.write(renderTerminalReport(data, heading));
  if (values.html !== undefined) {
    if (!values.html) throw new UsageError('--html needs a file name');
    writeFileSync(values.html, renderHtmlReport(data, heading));
    process.stderr.write(`wrote ${values.html}\n`);
  }
  return 0;
}

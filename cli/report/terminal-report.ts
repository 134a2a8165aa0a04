import { formatTable } from '../format-table.ts';
import { escapeForTerminal } from '../terminal-text.ts';
import { toLiftRows } from './lift-table.ts';
import { computeStudyLifts, type ReportData } from './report-data.ts';
import { sectionTitles } from './section-titles.ts';
import { computeStudyPowers, toPowerRows } from './study-power.ts';

/** The report as text tables, one per section, for a terminal. */
export function renderTerminalReport(data: ReportData, heading: string): string {
  const parts = [heading, ''];
  for (const name of Object.keys(sectionTitles) as Array<keyof ReportData>) {
    const section = data[name];
    parts.push(`== ${sectionTitles[name]} ==`);
    if (!section.ok) parts.push(`not available: ${escapeForTerminal(section.reason)}`, '');
    else if (name === 'lift') {
      parts.push(formatTable(section.columns, section.rows));
      const lifts = toLiftRows(computeStudyLifts(section));
      if (lifts.rows.length) parts.push(formatTable(lifts.columns, lifts.rows));
    } else if (name === 'liftDaily') {
      parts.push(formatTable(section.columns, section.rows));
      const powers = toPowerRows(computeStudyPowers(section));
      if (powers.rows.length) parts.push(formatTable(powers.columns, powers.rows));
    } else parts.push(formatTable(section.columns, section.rows));
  }
  return parts.join('\n');
}

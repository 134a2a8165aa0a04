import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verdictReasons } from '../../../shared/domain/counting/verdict.ts';
import { hostingProviderNames } from '../../../shared/domain/geo/hosting-networks.ts';
import { trafficDefaults } from '../../../shared/domain/traffic/traffic-rules.ts';

const docPath = new URL('../../../docs/methodology.md', import.meta.url).pathname;
const doc = readFileSync(docPath, 'utf8');

/** The text of the `### ...` section whose heading is the reason in backticks. */
const sectionOf = (reason: string): string => {
  const start = doc.indexOf(`\n### \`${reason}\`\n`);
  return start < 0 ? '' : (doc.slice(start + 1).split(/\n##+ /)[0] ?? '');
};
const linksOf = (text: string) => [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1] as string).filter((l) => !/^https?:/.test(l));

// docs/methodology.md is the Description of Methodology an audit reads: it must describe every
// verdict the code can give, point at code and tests that exist, and state the defaults the code has.
describe('docs/methodology.md', () => {
  for (const reason of verdictReasons) {
    it(`describes verdict reason ${reason}, with the code and the test that implement it`, () => {
      const section = sectionOf(reason);
      expect(section, `no "### \`${reason}\`" section`).not.toBe('');
      expect(section).toMatch(/Code:\s+\[/);
      expect(section).toMatch(/Test:\s+\[/);
      const links = linksOf(section);
      expect(links.some((l) => l.includes('/test/'))).toBe(true);
      expect(links.some((l) => !l.includes('/test/'))).toBe(true);
    });
  }

  it('describes no reason the code does not have', () => {
    const described = [...doc.matchAll(/^### `([a-z_]+)`$/gm)].map((m) => m[1]);
    expect(described.filter((r) => !(verdictReasons as readonly string[]).includes(r as string))).toEqual([]);
  });

  it('links only to files and folders that exist', () => {
    const missing = linksOf(doc).filter((link) => !existsSync(join(dirname(docPath), link)));
    expect(missing).toEqual([]);
  });

  it('lists every step of the filter order with its reasons', () => {
    const order = doc.slice(doc.indexOf('## Filters and their order'), doc.indexOf('## Verdict reasons'));
    for (const reason of verdictReasons) expect(order, reason).toContain(`\`${reason}\``);
  });

  it('states the volume thresholds the code defaults to', () => {
    for (const [setting, value] of Object.entries(trafficDefaults)) expect(doc, setting).toMatch(new RegExp(`\\| \`${setting}\` \\| ${value} \\|`));
  });

  it('names every hosting provider the data-centre rule knows by name', () => {
    // Names may wrap across lines.
    const section = doc.slice(doc.indexOf('## Data-centre traffic'), doc.indexOf('## Volume anomalies')).replace(/\s+/g, ' ');
    for (const name of hostingProviderNames) expect(section, name).toContain(name);
  });

  it('has the sections an audit asks for', () => {
    for (const heading of ['Identity and privacy', 'Geography', 'Filters and their order', 'Windows', 'Ad delivery', 'Data-centre traffic', 'Volume anomalies', 'What is kept and for how long', 'Restatement', 'Known limits']) {
      expect(doc).toContain(`\n## ${heading}\n`);
    }
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, ensureChromium } from '../support/chromium.ts';
import { runEarshot, startEarshot } from '../support/earshot-process.ts';
import { writeFixedConfig } from '../support/fixed-config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'earshot-report-'));
const htmlFile = join(dataDir, 'report.html');
let terminal = '';
let browser: Browser;

beforeAll(async () => {
  const executablePath = ensureChromium();
  const configFile = writeFixedConfig(dataDir);
  const server = await startEarshot(['--data', dataDir, '--config', configFile]);
  try {
    const sent = await runEarshot(['simulate', '--url', server.url, '--data', dataDir, '--config', configFile, '--listeners', '1500', '--days', '2', '--seed', '11', '--quiet']);
    expect(sent.code, sent.stderr).toBe(0);
    const report = await runEarshot(['report', '--data', dataDir, '--html', htmlFile]);
    expect(report.code, report.stderr).toBe(0);
    terminal = report.stdout;
  } finally {
    await server.stop('SIGTERM');
  }
  browser = await chromium.launch({ executablePath, args: chromiumArgs });
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

describe('earshot report', () => {
  it('prints every section as a table in the terminal', () => {
    for (const heading of ['Delivery per day', 'Downloads per country', 'Excluded traffic', 'Reach and frequency', 'discrepancy', 'Attribution', 'Lift']) expect(terminal).toContain(heading);
    expect(terminal).not.toContain('not available');
  });

  it("shows simulate's data-centre and anomalous traffic apart, and downloads in several countries", () => {
    const excluded = terminal.slice(terminal.indexOf('Excluded traffic'), terminal.indexOf('Reach and frequency'));
    for (const reason of ['datacenter', 'household_volume', 'address_burst']) expect(excluded).toContain(reason);
    const countries = terminal.slice(terminal.indexOf('Downloads per country'), terminal.indexOf('Excluded traffic'));
    for (const country of ['US', 'GB', 'DE', 'AU']) expect(countries).toMatch(new RegExp(`\\b${country}\\b`));
  });

  it('shows the two concurrent studies of one advertiser apart, each with both comparisons and its power', () => {
    for (const study of ['demo-study', 'demo-study-meals']) {
      for (const comparison of ['intent_to_treat', 'ghost_ads']) expect(terminal).toContain(`${study} · ${comparison}`);
    }
    expect(terminal).toMatch(/detectable_now/);
    expect(terminal).toContain('always_valid_p');
  });

  it('writes one self-contained HTML file whose charts render in a real Chromium', async () => {
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org)/);
    const page = await browser.newPage();
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(request.url()));
    await page.goto(pathToFileURL(htmlFile).href);
    expect(fetched).toEqual([pathToFileURL(htmlFile).href]);

    const charts = await page.$$eval('svg[data-chart]', (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const marks = [...svg.querySelectorAll('polyline.series, rect.bar, circle.estimate')].filter((m) => {
          const b = m.getBoundingClientRect();
          return b.width > 0 && b.height > 0;
        });
        return { section: svg.closest('section')?.id, kind: svg.dataset.chart, width: box.width, height: box.height, marks: marks.length };
      }),
    );
    // Two concurrent studies of one advertiser: one daily chart each.
    expect(charts.map((c) => c.section)).toEqual(['delivery', 'geography', 'excluded', 'reach', 'reach', 'discrepancy', 'attribution', 'attribution', 'lift', 'liftDaily', 'liftDaily']);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(100);
      expect(chart.marks, `${chart.section} ${chart.kind}`).toBeGreaterThan(0);
    }
    expect(await page.locator('.missing').count()).toBe(0);
    await page.close();
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { earshotBin } from '../support/earshot-process.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `earshot classify` with `input` on stdin. */
function classify(args: string[], input: string): Promise<Run> {
  const child = spawn(process.execPath, [earshotBin, 'classify', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => {}); // the command may exit (bad --ua-list) before reading stdin
  child.stdin.end(input);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function parseLines(stdout: string): unknown[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

const root = mkdtempSync(join(tmpdir(), 'earshot-classify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('earshot classify', () => {
  it('writes one NDJSON classification per stdin line', async () => {
    const agents = [
      'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      '',
      'SomeNewPodcastPlayer/1.0',
    ];
    const run = await classify([], agents.join('\r\n') + '\n');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(parseLines(run.stdout)).toEqual([
      { ua: agents[0], type: 'app', name: 'Overcast', device: 'iPhone', bot: false },
      { ua: agents[1], type: 'bot', name: 'Googlebot', device: null, bot: true },
      { ua: '', type: 'unknown', name: null, device: null, bot: true },
      { ua: agents[3], type: 'unknown', name: null, device: null, bot: false },
    ]);
  });

  it('streams a large input through', async () => {
    const agents = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? `Podcasts/1650.${i} CFNetwork/1333.0.4 Darwin/21.5.0` : `curl/8.${i}`));
    const run = await classify([], agents.join('\n'));
    expect(run.code).toBe(0);
    const lines = parseLines(run.stdout) as Array<{ ua: string; bot: boolean }>;
    expect(lines).toHaveLength(agents.length);
    expect(lines.map((l) => l.ua)).toEqual(agents);
    expect(lines.filter((l) => l.bot)).toHaveLength(agents.length / 2);
  });

  it('uses the list in --ua-list DIR', async () => {
    const dir = mkdtempSync(join(root, 'opawg-'));
    const files = {
      bots: [],
      apps: [{ name: 'Example Player', pattern: '^ExamplePlayer/' }],
      libraries: [],
      browsers: [],
      devices: [{ name: 'Example Phone', pattern: 'ExamplePhone', category: 'mobile' }],
    };
    for (const [name, entries] of Object.entries(files)) writeFileSync(join(dir, `${name}.json`), JSON.stringify({ entries }));
    const run = await classify(['--ua-list', dir], 'ExamplePlayer/2 (ExamplePhone)\nOvercast/3.0\n');
    expect(run.code).toBe(0);
    expect(parseLines(run.stdout)).toEqual([
      { ua: 'ExamplePlayer/2 (ExamplePhone)', type: 'app', name: 'Example Player', device: 'Example Phone', bot: false },
      { ua: 'Overcast/3.0', type: 'unknown', name: null, device: null, bot: false },
    ]);
  });

  const badInput: Record<string, string[]> = {
    'a --ua-list folder that does not exist': ['--ua-list', join(root, 'missing')],
    'an unknown option': ['--list', 'x'],
    'a stray argument': ['Overcast/3.0'],
  };
  for (const [name, args] of Object.entries(badInput)) {
    it(`exits 2 with a one-line reason for ${name}`, async () => {
      const run = await classify(args, 'Overcast/3.0\n');
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^earshot classify: /);
    });
  }
});

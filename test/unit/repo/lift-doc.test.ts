import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { plannedLift } from '../../../cli/report/study-power.ts';
import { runSequentialLift } from '../../../cli/commands/lift-sequential.ts';
import { main } from '../../../cli/main.ts';
import { mixingRelativeSd } from '../../../shared/domain/lift/sequential.ts';
import { ReportingConfig } from '../../../shared/contracts/schemas/config.ts';

const repoRoot = new URL('../../../', import.meta.url).pathname;
const docPath = join(repoRoot, 'docs/lift.md');
const doc = readFileSync(docPath, 'utf8');
const linksOf = (text: string) => [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1] as string).filter((l) => !/^https?:/.test(l));

/** Each `$ earshot power|lift ...` line of the doc's ```sh blocks with the output lines under it. */
function workedExamples(): Array<{ command: string; output: string[] }> {
  const examples: Array<{ command: string; output: string[] }> = [];
  for (const [, block] of doc.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of (block as string).split('\n')) {
      if (line.startsWith('$ ')) examples.push({ command: line.slice(2), output: [] });
      else if (line.trim() !== '') examples.at(-1)?.output.push(line);
    }
  }
  return examples.filter((e) => /^earshot (power|lift) /.test(e.command));
}

/** What a documented command prints: `main` for arguments, the sequential reader for `< FILE`. */
async function run(command: string): Promise<string[]> {
  const [args = '', file] = command.replace(/^earshot /, '').split(' < ');
  const argv = args.split(' ').filter(Boolean);
  let stdout = '';
  if (file) {
    expect(argv).toEqual(['lift', '--sequential']);
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await runSequentialLift(0.95, createReadStream(join(repoRoot, file)), output);
  } else {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    expect(await main(argv)).toBe(0);
    vi.restoreAllMocks();
  }
  return stdout.split('\n').filter(Boolean);
}

// docs/lift.md quotes the commands' outputs and the code's constants: it must keep up with them.
describe('docs/lift.md', () => {
  afterEach(() => vi.restoreAllMocks());

  it('links only to files and folders that exist', () => {
    const missing = linksOf(doc).filter((link) => !existsSync(join(dirname(docPath), link)));
    expect(missing).toEqual([]);
  });

  const examples = workedExamples();
  it('has worked examples of earshot power, earshot lift and earshot lift --sequential', () => {
    for (const name of ['earshot power', 'earshot lift --control', 'earshot lift --sequential']) expect(examples.some((e) => e.command.startsWith(name)), name).toBe(true);
  });

  for (const { command, output } of examples.filter((e) => e.output.length)) {
    it(`prints what \`${command}\` prints`, async () => {
      expect(await run(command)).toEqual(output);
    });
  }

  it('states the mixing variance, the CUPED pre-period default and the planned lift the code uses', () => {
    expect(doc).toContain(`**τ = ${mixingRelativeSd} p̄**`);
    expect(doc).toContain(`\`reporting.cuped_pre_period_days\` (default ${ReportingConfig.properties.cuped_pre_period_days.default},`);
    expect(doc).toContain(`**${plannedLift * 100} % lift**`);
  });
});

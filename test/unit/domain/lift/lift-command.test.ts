import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../cli/main.ts';

/** Runs `earshot <args>` in process, capturing what it writes. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('earshot lift', () => {
  it('prints the JSON object of README.md, fields in the documented order', async () => {
    const { code, stdout, stderr } = await run(['lift', '--control', '200/10000', '--test', '260/10000']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['control_rate', 'test_rate', 'abs_lift', 'rel_lift', 'z', 'p_value', 'ci_abs', 'ci_rel', 'incremental_conversions']);
    // The values themselves are checked against mpmath in two-proportion.test.ts.
    expect(result).toMatchObject({ control_rate: 0.02, test_rate: 0.026, incremental_conversions: expect.closeTo(60, 9) as unknown });
    expect(result.z).toBeCloseTo(2.830251652793252, 12);
  });

  it('takes --confidence and --exposed-share', async () => {
    const plain = JSON.parse((await run(['lift', '--control', '200/10000', '--test', '260/10000', '--confidence', '0.99'])).stdout) as { ci_abs: number[]; abs_lift: number };
    const exposed = JSON.parse((await run(['lift', '--control', '200/10000', '--test', '260/10000', '--exposed-share', '0.4'])).stdout) as { abs_lift: number };
    expect(plain.ci_abs[0]).toBeLessThan(0.0018458009669629102);
    expect(exposed.abs_lift).toBeCloseTo(0.015, 15);
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ['no conversions in the control arm', ['--control', '0/10000', '--test', '260/10000'], /--control conversions .*no conversions/],
    ['no conversions in the test arm', ['--control', '10/100', '--test', '0/100'], /--test conversions/],
    ['a missing --test', ['--control', '10/100'], /--test is required/],
    ['a malformed arm', ['--control', '10 of 100', '--test', '5/100'], /--control must be CONVERSIONS\/HOUSEHOLDS/],
    ['a fractional count', ['--control', '1.5/100', '--test', '5/100'], /--control must be/],
    ['more conversions than households', ['--control', '200/100', '--test', '5/100'], /--control conversions must be a whole number from 0 to the households/],
    ['zero households', ['--control', '0/0', '--test', '5/100'], /--control households/],
    ['a confidence out of range', ['--control', '10/100', '--test', '5/100', '--confidence', '95'], /--confidence must be between 0 and 1/],
    ['a confidence that is not a number', ['--control', '10/100', '--test', '5/100', '--confidence', 'high'], /--confidence must be a number/],
    ['an exposed share out of range', ['--control', '10/100', '--test', '5/100', '--exposed-share', '0'], /--exposed-share must be more than 0/],
    ['an unknown option', ['--control', '10/100', '--test', '5/100', '--alpha', '0.05'], /alpha/],
  ];
  for (const [name, args, reason] of refusals) {
    it(`exits 2 with a one-line reason for ${name}`, async () => {
      const { code, stdout, stderr } = await run(['lift', ...args]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^earshot lift: [^\n]+\n$/);
      expect(stderr).toMatch(reason);
      expect(stderr).not.toMatch(/NaN/);
    });
  }
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSequentialLift } from '../../../../cli/commands/lift-sequential.ts';
import { main } from '../../../../cli/main.ts';

async function runLooks(lines: string[], confidence = 0.95): Promise<Array<Record<string, unknown>>> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString()));
  input.end(lines.join('\n') + '\n');
  await runSequentialLift(confidence, input, output);
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('earshot lift --sequential', () => {
  it('answers each look with the earshot lift fields plus always_valid_p and cs_abs', async () => {
    const [result] = await runLooks(['{"control":[200,10000],"test":[260,10000]}']);
    expect(Object.keys(result ?? {})).toEqual(['control_rate', 'test_rate', 'abs_lift', 'rel_lift', 'z', 'p_value', 'ci_abs', 'ci_rel', 'incremental_conversions', 'always_valid_p', 'cs_abs']);
    expect(result).toMatchObject({ control_rate: 0.02, test_rate: 0.026, z: expect.closeTo(2.830251652793252, 12) as unknown, always_valid_p: expect.closeTo(0.08781149193445362, 9) as unknown });
  });

  it('keeps one sequence per study, and starts again when the counts fall (the next study of the stream)', async () => {
    const results = await runLooks([
      '{"study":"a","control":[1000,50000],"test":[10800,450000]}',
      '{"study":"b","control":[200,10000],"test":[1800,90000]}',
      '{"study":"a","control":[1001,50100],"test":[10801,451000]}',
      '{"study":"a","control":[10,500],"test":[90,4500]}',
    ]);
    expect(results.map((r) => r.study)).toEqual(['a', 'b', 'a', 'a']);
    expect(results[2]?.always_valid_p).toBe(results[0]?.always_valid_p);
    expect(results[1]?.always_valid_p).toBe(1);
    expect(results[3]?.always_valid_p).toBe(1);
  });

  it('answers a look whose arm has no conversions yet, with null where earshot lift refuses', async () => {
    const [result] = await runLooks(['{"control":[0,100],"test":[3,900]}']);
    expect(result).toMatchObject({ control_rate: 0, rel_lift: null, z: null, p_value: null, ci_abs: null, ci_rel: null, always_valid_p: 1 });
  });

  const refused: Array<[string, string, RegExp]> = [
    ['text that is not JSON', 'control 1/2', /line 1: not JSON/],
    ['a missing arm', '{"control":[1,10]}', /\/test is required/],
    ['a fractional count', '{"control":[1.5,10],"test":[1,10]}', /\/control\/0/],
    ['more conversions than households', '{"control":[11,10],"test":[1,10]}', /\/control\/0 must be at most the households/],
    ['an arm without households', '{"control":[0,0],"test":[1,10]}', /\/control\/1 must be at least 1/],
    ['an unknown field', '{"control":[1,10],"test":[1,10],"alpha":0.1}', /\/alpha is not a known field/],
  ];
  for (const [name, line, reason] of refused) {
    it(`exits 2 naming the line and field for ${name}`, async () => {
      await expect(runLooks([line])).rejects.toThrow(reason);
    });
  }

  it('refuses --sequential together with the arms of a single look', async () => {
    expect(await main(['lift', '--sequential', '--control', '1/10'])).toBe(2);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { passesTcpProbe, startUnderFramework, type StartedFunction } from '../../../support/built-function.ts';

const fixture = new URL('../../../support/sigterm-function/', import.meta.url).pathname;
const running: StartedFunction[] = [];
afterAll(() => running.forEach((f) => f.child.kill('SIGKILL')));

async function stopped(env: Record<string, string>): Promise<{ code: number | null; ms: number; lines: Array<{ severity: string; message: string }> }> {
  // functions-framework loads index.ts through tsx, as it loads the built index.js in the cloud.
  const started = await startUnderFramework(fixture, 'sigterm-test', env, ['--import', 'tsx']);
  running.push(started);
  expect(await passesTcpProbe(started, 20_000)).toBe(true);
  const at = performance.now();
  started.child.kill('SIGTERM');
  const code = await started.exited;
  const lines = started.stdout().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { severity: string; message: string });
  return { code, ms: performance.now() - at, lines };
}

describe('closeOnSigterm under functions-framework', () => {
  it('holds functions-framework’s immediate exit until close() has flushed, then exits 0', async () => {
    const { code, ms, lines } = await stopped({ CLOSE_MS: '300' });
    expect(lines.map((l) => l.message)).toEqual(['pending batch flushed']);
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(250);
  }, 40_000);

  it('exits at the end of the grace period when close() takes longer, saying so', async () => {
    const { code, ms, lines } = await stopped({ CLOSE_MS: '60000', GRACE_MS: '400' });
    expect(lines).toEqual([expect.objectContaining({ severity: 'ERROR', message: 'sigterm-test did not flush within 400 ms of SIGTERM' })]);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
  }, 40_000);
});

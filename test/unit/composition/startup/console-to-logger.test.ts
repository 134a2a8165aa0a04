import { afterAll, describe, expect, it } from 'vitest';
import { passesTcpProbe, startUnderFramework, type StartedFunction } from '../../../support/built-function.ts';
import { fixedConfig } from '../../../support/fixed-config.ts';

const fixture = new URL('../../../support/crash-function/', import.meta.url).pathname;
const running: StartedFunction[] = [];
afterAll(() => running.forEach((f) => f.child.kill('SIGKILL')));

describe('a function’s console under functions-framework', () => {
  it('turns what functions-framework reports itself into Cloud Logging entries', async () => {
    const started = await startUnderFramework(fixture, 'crash-test', { EARSHOT_CONFIG: JSON.stringify(fixedConfig) }, ['--import', 'tsx']);
    running.push(started);
    expect(await passesTcpProbe(started, 20_000)).toBe(true);
    expect((await fetch(`http://127.0.0.1:${started.port}/crash`)).status).toBe(204);
    const deadline = Date.now() + 10_000;
    while (!started.stdout().includes('\n') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    // Without the routing this is a line of text on stderr.
    expect(started.stderr()).toBe('');
    const entries = started.stdout().trim().split('\n').map((line) => JSON.parse(line) as { severity: string; message: string });
    expect(entries).toEqual([expect.objectContaining({ severity: 'ERROR', message: 'Exception from a finished function: Error: a bug outside any handler' })]);
  }, 40_000);
});

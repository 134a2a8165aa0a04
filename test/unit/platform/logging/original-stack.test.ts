import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOriginalStack } from '../../../../shared/platform/logging/original-stack.ts';

// A minified bundle with its linked map, as the build writes them. The test runner maps stacks
// itself, so the frames of the bundle are written out from the positions in its code.
const dir = mkdtempSync(join(tmpdir(), 'original-stack-'));
let thrown: string;

/** `file:line:column` (1-based) of the first occurrence of `text` in the bundle. */
function positionOf(file: string, text: string): string {
  const code = readFileSync(file, 'utf8');
  const at = code.indexOf(text);
  const before = code.slice(0, at).split('\n');
  return `${file}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

beforeAll(async () => {
  writeFileSync(join(dir, 'fails.ts'), "export function fail(): never {\n  const why = 'configuration is invalid';\n  throw new Error(why);\n}\n");
  writeFileSync(join(dir, 'entry.ts'), "import { fail } from './fails.ts';\nexport function run(): void {\n  fail();\n}\n");
  const out = join(dir, 'out', 'main.js');
  await build({ entryPoints: [join(dir, 'entry.ts')], outfile: out, bundle: true, minify: true, format: 'esm', platform: 'node', sourcemap: 'linked', logLevel: 'silent' });
  thrown = `Error: configuration is invalid\n    at r (${positionOf(out, 'throw new Error')})\n    at file://${positionOf(out, 'function')}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('computeOriginalStack', () => {
  it('moves frames of a bundle with a map to the TypeScript files and lines', () => {
    expect(thrown).toMatch(/out\/main\.js:\d+:\d+/);
    const mapped = computeOriginalStack(thrown);
    expect(mapped).toContain(`${join(dir, 'fails.ts')}:3:`);
    expect(mapped).toContain(`${join(dir, 'fails.ts')}:1:`);
    expect(mapped).not.toMatch(/out\/main\.js/);
    expect(mapped.split('\n')[0]).toBe('Error: configuration is invalid');
  });

  it('leaves frames without a map beside them as they are', () => {
    const stack = 'Error: x\n    at f (/nowhere/plain.js:1:2)\n    at node:internal/process/task_queues:95:5';
    expect(computeOriginalStack(stack)).toBe(stack);
  });
});

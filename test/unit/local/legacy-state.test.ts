import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLegacyState } from '../../../cli/local/legacy-state.ts';
import { UsageError } from '../../../cli/usage-error.ts';
import { DurableStore } from '../../../shared/adapters/local/durable-store.ts';
import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';

describe('importing a state.json of an earlier version', () => {
  it('moves its documents into the durable store once and renames the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-legacy-'));
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ counting: { 'w:a': { doc: { w: [1, 2] } }, 'x:b': { doc: { n: 1 }, expiresAt: 4_000_000_000_000 } } }));
    const store = DurableStore.open(join(dir, 'store'));
    expect(await importLegacyState(dir, store)).toBe(2);
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(existsSync(join(dir, 'state.json.imported'))).toBe(true);
    expect(await importLegacyState(dir, store)).toBe(0);
    const state = new MemoryStateStore(Date.now, store);
    expect(await state.getMany('counting', ['w:a', 'x:b'])).toEqual([{ w: [1, 2] }, { n: 1 }]);
    await store.close();
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"counting":{"w:a":{"doc":'],
    ['not an object', '[1,2]'],
  ])('refuses a %s file in one line, leaving it in place', async (_name, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-legacy-'));
    writeFileSync(join(dir, 'state.json'), text);
    const store = DurableStore.open(join(dir, 'store'));
    const refusal = importLegacyState(dir, store);
    await expect(refusal).rejects.toBeInstanceOf(UsageError);
    await expect(refusal).rejects.toThrow(/state\.json is not a readable state snapshot .*move it away/);
    expect(existsSync(join(dir, 'state.json'))).toBe(true);
    await store.close();
  });
});

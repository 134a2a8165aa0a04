import { describe, expect, it } from 'vitest';
import { copyWithout } from '../../../../shared/platform/objects/copy-without.ts';

describe('copyWithout', () => {
  const cases: Record<string, { source: object; keys: string[]; expected: Record<string, unknown> }> = {
    'drops the named keys': { source: { a: 1, ip: '1.2.3.4', b: 'x' }, keys: ['ip'], expected: { a: 1, b: 'x' } },
    'keeps undefined and nested values as they are': { source: { a: undefined, n: { deep: [1] } }, keys: [], expected: { a: undefined, n: { deep: [1] } } },
    'ignores keys the source lacks': { source: { a: 1 }, keys: ['zz'], expected: { a: 1 } },
    'an empty source': { source: {}, keys: ['a'], expected: {} },
  };
  for (const [name, { source, keys, expected }] of Object.entries(cases)) it(name, () => expect(copyWithout(source, new Set(keys))).toEqual(expected));

  it('copies shallowly, leaving the source untouched', () => {
    const nested = { x: 1 };
    const source = { nested, ip: 'a' };
    const copy = copyWithout(source, new Set(['ip']));
    expect(copy.nested).toBe(nested);
    expect(source).toEqual({ nested, ip: 'a' });
  });
});

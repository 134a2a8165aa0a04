/**
 * A shallow copy of `source` without `keys`. A plain loop: object rest and spread are several
 * times slower over the many-shaped records of a batch (docs/performance.md).
 */
export function copyWithout(source: object, keys: ReadonlySet<string>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  const from = source as Record<string, unknown>;
  const names = Object.keys(from);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (!keys.has(name)) copy[name] = from[name];
  }
  return copy;
}

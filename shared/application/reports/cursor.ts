import { createHash } from 'node:crypto';

/**
 * Page cursors: base64url of `{o: offset, d: digest}`. The digest binds the cursor to the tenant
 * and the query (report, window, filters, page size), so a cursor is refused with any other; the
 * rows it leads to are still cut by the key's own scope, so a forged one could only repeat rows
 * the key may see anyway. The order is total (every grouping column), so an offset names one row.
 */
export function queryDigest(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

export const encodeCursor = (offset: number, digest: string): string => Buffer.from(JSON.stringify({ o: offset, d: digest })).toString('base64url');

/** The offset of a cursor made for `digest`, or undefined for anything else. */
export function tryDecodeCursor(cursor: string, digest: string, maxOffset: number): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; d?: unknown };
    const ok = typeof value.o === 'number' && Number.isSafeInteger(value.o) && value.o > 0 && value.o <= maxOffset && value.d === digest;
    return ok ? (value.o as number) : undefined;
  } catch {
    return undefined;
  }
}

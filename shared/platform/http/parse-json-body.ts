import { isUtf8 } from 'node:buffer';

export type ParsedJsonBody = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * A JSON body from its bytes. Bytes that are not UTF-8 are refused rather than decoded with
 * replacement characters, which would store text the sender never sent.
 */
export function tryParseJsonBody(bytes: Buffer): ParsedJsonBody {
  if (!isUtf8(bytes)) return { ok: false, message: 'is not UTF-8' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch (err) {
    return { ok: false, message: `is not JSON: ${(err as Error).message}` };
  }
}

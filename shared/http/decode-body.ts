import { gunzipSync, inflateSync } from 'node:zlib';
import type { HttpRequest } from './types.ts';
import { maxBodyBytes } from './types.ts';

export type DecodedBody = { ok: true; text: string } | { ok: false; status: 400 | 413 | 415; message: string };

/**
 * The request body as UTF-8 text, gunzipped or inflated per `content-encoding`. The inflated size
 * is capped too, so a small compressed bomb is refused with 413 rather than exhausting memory.
 */
export function decodeBody(request: HttpRequest, limit = maxBodyBytes): DecodedBody {
  if (request.body.length > limit) return { ok: false, status: 413, message: `body is over ${limit} bytes` };
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  try {
    if (encoding === 'identity' || encoding === '') return { ok: true, text: request.body.toString('utf8') };
    if (encoding === 'gzip' || encoding === 'x-gzip') return { ok: true, text: gunzipSync(request.body, { maxOutputLength: limit }).toString('utf8') };
    if (encoding === 'deflate') return { ok: true, text: inflateSync(request.body, { maxOutputLength: limit }).toString('utf8') };
  } catch (err) {
    const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    return tooBig
      ? { ok: false, status: 413, message: `decompressed body is over ${limit} bytes` }
      : { ok: false, status: 400, message: `body is not valid ${encoding}` };
  }
  return { ok: false, status: 415, message: `content-encoding ${encoding} is not supported; use gzip, deflate or identity` };
}

import { gunzipSync, inflateSync } from 'node:zlib';
import type { HttpRequest } from './types.ts';
import { maxBodyBytes } from './types.ts';

type DecodeRefusal = { ok: false; status: 400 | 413 | 415; message: string };
export type DecodedBody = { ok: true; text: string } | DecodeRefusal;
export type DecodedBodyBytes = { ok: true; bytes: Buffer } | DecodeRefusal;

/**
 * The request body's bytes, gunzipped or inflated per `content-encoding`. The inflated size is
 * capped too, so a small compressed bomb is refused with 413 rather than exhausting memory.
 */
export function decodeBodyBytes(request: HttpRequest, limit = maxBodyBytes): DecodedBodyBytes {
  if (request.body.length > limit) return { ok: false, status: 413, message: `body is over ${limit} bytes` };
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  try {
    if (encoding === 'identity' || encoding === '') return { ok: true, bytes: request.body };
    if (encoding === 'gzip' || encoding === 'x-gzip') return { ok: true, bytes: gunzipSync(request.body, { maxOutputLength: limit }) };
    if (encoding === 'deflate') return { ok: true, bytes: inflateSync(request.body, { maxOutputLength: limit }) };
  } catch (err) {
    const tooBig = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    return tooBig
      ? { ok: false, status: 413, message: `decompressed body is over ${limit} bytes` }
      : { ok: false, status: 400, message: `body is not valid ${encoding}` };
  }
  return { ok: false, status: 415, message: `content-encoding ${encoding} is not supported; use gzip, deflate or identity` };
}

/** The request body as UTF-8 text, decoded as `decodeBodyBytes` does. */
export function decodeBody(request: HttpRequest, limit = maxBodyBytes): DecodedBody {
  const decoded = decodeBodyBytes(request, limit);
  return decoded.ok ? { ok: true, text: decoded.bytes.toString('utf8') } : decoded;
}

import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Pub/Sub bills the bytes published and each delivery; our batches are JSON that compresses more
 * than twentyfold, so the cloud bus sends them gzipped and says so in this attribute. A message
 * without it is the JSON itself (every message published before, and Google's own: log sinks,
 * storage notices), so consumers read both.
 */
export const encodingAttribute = 'content_encoding';
export const gzipEncoding = 'gzip';

/** Below this a message stays as it is: Pub/Sub bills at least 1,000 bytes per request anyway. */
const minCompressedBytes = 1024;
/** The most a message may inflate to: ten times Pub/Sub's 10 MB message limit. */
const maxInflatedBytes = 100 * 1024 * 1024;

/** A message as it travels: its bytes and the attributes that say how to read them. */
export interface WireMessage {
  data: Buffer;
  attributes?: Record<string, string>;
}

/** The message to publish for `json`: gzipped when that is worth it. */
export function computeWireMessage(json: Buffer): WireMessage {
  if (json.length < minCompressedBytes) return { data: json };
  const compressed = gzipSync(json);
  return compressed.length < json.length ? { data: compressed, attributes: { [encodingAttribute]: gzipEncoding } } : { data: json };
}

/** The JSON bytes of a delivered message, or why they cannot be had (a poison message). */
export function tryDecodeWireMessage(data: Buffer, attributes: Readonly<Record<string, string>> | undefined): { ok: true; bytes: Buffer } | { ok: false; reason: string } {
  const encoding = attributes?.[encodingAttribute];
  if (encoding === undefined || encoding === 'identity') return { ok: true, bytes: data };
  if (encoding !== gzipEncoding) return { ok: false, reason: `unknown ${encodingAttribute} ${JSON.stringify(encoding.slice(0, 50))} (expected ${gzipEncoding})` };
  try {
    return { ok: true, bytes: gunzipSync(data, { maxOutputLength: maxInflatedBytes }) };
  } catch (err) {
    return { ok: false, reason: `${encodingAttribute} ${gzipEncoding} but the data is not readable gzip: ${(err as Error).message}` };
  }
}

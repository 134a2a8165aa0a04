import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';

// Bytes that tend to matter to a JSON or UTF-8 decoder: structure, escapes, invalid UTF-8 starts.
const interestingBytes = [0x00, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x2d, 0x30, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x80, 0xc3, 0xed, 0xff];

type ByteEdit = { kind: 'set' | 'insert' | 'delete' | 'truncate' | 'repeat'; at: number; byte: number };

const byteEdit: fc.Arbitrary<ByteEdit> = fc.record({
  kind: fc.constantFrom('set', 'insert', 'delete', 'truncate', 'repeat'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  byte: fc.oneof(fc.constantFrom(...interestingBytes), fc.integer({ min: 0, max: 255 })),
});

function applyByteEdit(bytes: Buffer, edit: ByteEdit): Buffer {
  const i = Math.min(bytes.length, Math.floor(edit.at * bytes.length));
  switch (edit.kind) {
    case 'set':
      return i < bytes.length ? Buffer.concat([bytes.subarray(0, i), Buffer.from([edit.byte]), bytes.subarray(i + 1)]) : bytes;
    case 'insert':
      return Buffer.concat([bytes.subarray(0, i), Buffer.from([edit.byte]), bytes.subarray(i)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + 1)]);
    case 'truncate':
      return bytes.subarray(0, i);
    case 'repeat':
      return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i, i + 16), bytes.subarray(i)]);
  }
}

/** A valid body with one to eight byte-wise edits. */
export function mutatedBytes(valid: Buffer): fc.Arbitrary<Buffer> {
  return fc.array(byteEdit, { minLength: 1, maxLength: 8 }).map((edits) => edits.reduce(applyByteEdit, valid));
}

/** Values that sit on a rule's edge: empty, huge, negative, impossible dates, odd ranges and addresses. */
export const edgeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    '', ' ', 'x'.repeat(5000), -1, 0, -0, 1.5, 1e308, 2 ** 53 + 1, true, null, [], {},
    '2026-02-30T00:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '2026-11-20T10:00:00+25:00', '2026-11-20',
    '::1', '999.1.1.1', '203.0.113.9', '2001:db8::1', '\u0000', '\ud800', '\u202e', 'bytes=5-1', 'bytes=-0', 'bytes=0-', 'bytes=99999999999999999999-',
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

type FieldEdit = { field: string; remove: boolean; value: unknown };

/** A valid record with fields removed, replaced by edge values, or added. */
export function mutatedRecord(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields = [...Object.keys(valid), 'extra', '__proto__', 'constructor'];
  const edit: fc.Arbitrary<FieldEdit> = fc.record({ field: fc.constantFrom(...fields), remove: fc.boolean(), value: edgeValue });
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    // JSON.parse so `__proto__` becomes a plain own key, as it would in a request body.
    const record = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
    for (const { field, remove, value } of edits) {
      if (remove) delete record[field];
      else Object.defineProperty(record, field, { value, enumerable: true, writable: true, configurable: true });
    }
    return record;
  });
}

/** Bodies from valid records: whole, structurally mutated, byte-mutated, or unrelated JSON and bytes. */
export function jsonBodies(validRecords: readonly Record<string, unknown>[], serialize: (records: unknown[]) => string): fc.Arbitrary<Buffer> {
  const validBody = fc.subarray([...validRecords], { minLength: 1 }).map((records) => Buffer.from(serialize(records)));
  const mutatedRecords = fc
    .tuple(fc.subarray([...validRecords], { minLength: 1 }), fc.nat())
    .chain(([records, n]) => {
      const index = n % records.length;
      return mutatedRecord(records[index] as Record<string, unknown>).map((bad) => records.map((r, i) => (i === index ? bad : r)));
    })
    .map((records) => Buffer.from(serialize(records)));
  return fc.oneof(
    { arbitrary: validBody, weight: 2 },
    { arbitrary: mutatedRecords, weight: 4 },
    { arbitrary: validBody.chain(mutatedBytes), weight: 4 },
    { arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 256 }).map((s) => Buffer.from(s)), weight: 1 },
  );
}

/** How a body travels: as is, compressed (properly or not), or labelled with an unknown encoding. */
export type BodyEncoding = 'identity' | 'gzip' | 'deflate' | 'gzip-label-only' | 'gzip-truncated' | 'br' | 'gzip, gzip' | 'x-bogus';

export const bodyEncoding: fc.Arbitrary<BodyEncoding> = fc.oneof(
  { arbitrary: fc.constant<BodyEncoding>('identity'), weight: 6 },
  { arbitrary: fc.constantFrom<BodyEncoding>('gzip', 'deflate', 'gzip-label-only', 'gzip-truncated', 'br', 'gzip, gzip', 'x-bogus'), weight: 4 },
);

/** The body bytes and `content-encoding` header for an encoding. */
export function encodeBody(body: Buffer, encoding: BodyEncoding): { body: Buffer; header: string | undefined } {
  switch (encoding) {
    case 'identity':
      return { body, header: undefined };
    case 'gzip':
      return { body: gzipSync(body), header: 'gzip' };
    case 'deflate':
      return { body: deflateSync(body), header: 'deflate' };
    case 'gzip-label-only':
      return { body, header: 'gzip' };
    case 'gzip-truncated': {
      const zipped = gzipSync(body);
      return { body: zipped.subarray(0, Math.max(1, zipped.length >> 1)), header: 'gzip' };
    }
    default:
      return { body, header: encoding };
  }
}

/** Query strings: known and unknown parameters with edge values, sometimes broken percent-encoding. */
export function queryString(knownNames: readonly string[], validValues: Record<string, string>): fc.Arbitrary<string> {
  const name = fc.oneof({ arbitrary: fc.constantFrom(...knownNames), weight: 4 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 });
  const value = fc.oneof(
    { arbitrary: fc.constantFrom(...Object.values(validValues)), weight: 3 },
    { arbitrary: edgeValue.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
  );
  const valid = new URLSearchParams(validValues).toString();
  const pairs = fc.array(fc.tuple(name, value), { maxLength: 6 }).map((p) => new URLSearchParams(p).toString());
  const params = fc.oneof({ arbitrary: fc.constant(valid), weight: 2 }, { arbitrary: pairs, weight: 3 });
  const broken = fc.constantFrom('', '', '', '', '%', '%zz', '&&=&', '=x', '%00', '%E0%A4%A', '&platform=%FF', '&show=' + 'y'.repeat(3000));
  return fc.tuple(params, broken).map(([p, b]) => p + b);
}

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
// Headers that would change the HTTP framing itself rather than what a handler sees.
const framing = new Set(['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'te', 'trailer', 'keep-alive']);

/** Extra headers with random names and printable values (trimmed, as HTTP clients send them). */
export const noiseHeaders: fc.Arbitrary<Record<string, string>> = fc
  .dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), printable.map((v) => v.trim()), { maxKeys: 4 })
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([k]) => !framing.has(k))));

/** Content types a client might send with a body, right or wrong. */
export const contentType = fc.constantFrom(undefined, 'application/json', 'application/x-ndjson', 'text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', '*/*;;=');

/** Request methods Node's HTTP parser knows (others are refused by Node before any handler runs). */
export const anyMethod = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH');

/** A path segment, percent-encoded, or one with broken percent-encoding. */
export const pathSegment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2e%2e', '%00', 'a'.repeat(300)),
);

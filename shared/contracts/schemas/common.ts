import { Type } from '@sinclair/typebox';

/** An identifier chosen by a platform, vendor or advertiser: printable, no whitespace. */
export const Id = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s]+$' });

/** RFC 3339 timestamp with a time zone. */
export const Timestamp = Type.String({ format: 'date-time' });

/** An IPv4 or IPv6 address as text (checked by the custom `ip` format). */
export const IpAddress = Type.String({ format: 'ip', maxLength: 64 });

/** A byte count or offset; at most 2^53 - 1, so it is exact in JavaScript and fits an INT64 column. */
export const ByteCount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** A closed set of strings as a JSON Schema `enum` (clearer errors than a union of literals). */
export function StringEnum<const T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

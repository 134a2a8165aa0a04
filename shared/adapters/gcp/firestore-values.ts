/**
 * Firestore's REST `Value` for the JSON our state documents hold, encoded as the Firestore SDK
 * encodes a JavaScript value (so documents written by either read the same): safe integers as
 * `integerValue` (decimal text), other numbers as `doubleValue`, `undefined` fields left out.
 */
export type FirestoreValue =
  | { nullValue: null }
  | { booleanValue: boolean }
  | { integerValue: string }
  | { doubleValue: number | string }
  | { stringValue: string }
  | { timestampValue: string }
  | { arrayValue: { values?: FirestoreValue[] } }
  | { mapValue: { fields?: Record<string, FirestoreValue> } };

export type FirestoreFields = Record<string, FirestoreValue>;

/** The fields of a map value; `undefined` members are left out (`ignoreUndefinedProperties`). */
export function toFirestoreFields(value: Readonly<Record<string, unknown>>): FirestoreFields {
  const fields: FirestoreFields = {};
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (member !== undefined) fields[key] = toFirestoreValue(member);
  }
  return fields;
}

export function toFirestoreValue(value: unknown): FirestoreValue {
  if (value === null) return { nullValue: null };
  switch (typeof value) {
    case 'boolean':
      return { booleanValue: value };
    case 'string':
      return { stringValue: value };
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? { integerValue: String(value) } : { doubleValue: Number.isFinite(value) ? value : String(value) };
    case 'object':
      if (Array.isArray(value)) return { arrayValue: { values: value.map((item) => toFirestoreValue(item === undefined ? null : item)) } };
      if (value instanceof Date) return { timestampValue: value.toISOString() };
      return { mapValue: { fields: toFirestoreFields(value as Record<string, unknown>) } };
    default:
      throw new TypeError(`cannot store a ${typeof value} in Firestore`);
  }
}

/** The JSON value of a Firestore value; timestamps become their RFC 3339 text. */
export function fromFirestoreValue(value: FirestoreValue): unknown {
  if ('nullValue' in value) return null;
  if ('booleanValue' in value) return value.booleanValue;
  if ('integerValue' in value) return Number(value.integerValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('stringValue' in value) return value.stringValue;
  if ('timestampValue' in value) return value.timestampValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(fromFirestoreValue);
  if ('mapValue' in value) return fromFirestoreFields(value.mapValue.fields ?? {});
  throw new TypeError(`unsupported Firestore value ${Object.keys(value as object).join(',')}`);
}

export function fromFirestoreFields(fields: Readonly<FirestoreFields>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) out[key] = fromFirestoreValue(fields[key] as FirestoreValue);
  return out;
}

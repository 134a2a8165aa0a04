import { describe, expect, it } from 'vitest';
import { fromFirestoreFields, fromFirestoreValue, toFirestoreFields, toFirestoreValue, type FirestoreValue } from '../../../shared/adapters/gcp/firestore-values.ts';

// As the Firestore SDK encodes JavaScript values, so documents written by either read alike.
const cases: Array<[string, unknown, FirestoreValue]> = [
  ['null', null, { nullValue: null }],
  ['true', true, { booleanValue: true }],
  ['a string', 'x:abc', { stringValue: 'x:abc' }],
  ['a safe integer', 42, { integerValue: '42' }],
  ['a negative integer', -7, { integerValue: '-7' }],
  ['the largest safe integer', Number.MAX_SAFE_INTEGER, { integerValue: String(Number.MAX_SAFE_INTEGER) }],
  ['a fraction', 1.5, { doubleValue: 1.5 }],
  ['an integer beyond 2^53', 2 ** 60, { doubleValue: 2 ** 60 }],
  ['an empty array', [], { arrayValue: { values: [] } }],
  ['a mixed array', [1, 'a', null], { arrayValue: { values: [{ integerValue: '1' }, { stringValue: 'a' }, { nullValue: null }] } }],
  ['a nested map', { w: [{ s: 0 }] }, { mapValue: { fields: { w: { arrayValue: { values: [{ mapValue: { fields: { s: { integerValue: '0' } } } }] } } } } }],
  ['an empty map', {}, { mapValue: { fields: {} } }],
];

describe('Firestore values', () => {
  for (const [name, value, encoded] of cases) {
    it(`encodes and decodes ${name}`, () => {
      expect(toFirestoreValue(value)).toEqual(encoded);
      expect(fromFirestoreValue(encoded)).toEqual(value);
    });
  }

  it('leaves undefined members out, as ignoreUndefinedProperties does', () => {
    expect(toFirestoreFields({ a: 1, b: undefined })).toEqual({ a: { integerValue: '1' } });
  });

  it('stores -0 as a double, as the SDK does', () => expect(toFirestoreValue(-0)).toEqual({ doubleValue: -0 }));

  it('encodes a Date as a timestamp and reads timestamps back as their text', () => {
    expect(toFirestoreValue(new Date('2026-11-20T12:00:00Z'))).toEqual({ timestampValue: '2026-11-20T12:00:00.000Z' });
    expect(fromFirestoreValue({ timestampValue: '2026-11-20T12:00:00Z' })).toBe('2026-11-20T12:00:00Z');
  });

  it('reads what the REST API may send: doubles as text, maps and arrays without members', () => {
    expect(fromFirestoreFields({ d: { doubleValue: 'NaN' }, m: { mapValue: {} }, a: { arrayValue: {} } })).toEqual({ d: Number.NaN, m: {}, a: [] });
  });

  it('refuses what is no JSON value', () => {
    expect(() => toFirestoreValue(() => 1)).toThrow(/cannot store a function/);
    expect(() => toFirestoreValue(Symbol('s'))).toThrow(/cannot store a symbol/);
  });
});

import { describe, expect, it } from 'vitest';
import { computeGeography } from '../../../../shared/domain/geo/network-facts.ts';

describe('computeGeography', () => {
  const cases: Record<string, [record: unknown, expected: ReturnType<typeof computeGeography>]> = {
    'the shipped DB-IP layout': [{ city: 'London', country_code: 'GB', state1: 'England', state2: '' }, { country: 'GB', region: 'England' }],
    'a GeoIP2 City record with a US metro': [
      { country: { iso_code: 'US' }, subdivisions: [{ iso_code: 'CA', names: { en: 'California' } }], location: { metro_code: 807 } },
      { country: 'US', region: 'California', metro: '807' },
    ],
    'a metro outside the US (not a DMA)': [{ country: { iso_code: 'GB' }, location: { metro_code: 807 } }, { country: 'GB' }],
    'an empty region': [{ country_code: 'SG', state1: '' }, { country: 'SG' }],
    'no record': [null, {}],
    'a malformed country': [{ country_code: 'gbr' }, {}],
  };
  for (const [name, [record, expected]] of Object.entries(cases)) it(`reads ${name}`, () => expect(computeGeography(record)).toEqual(expected));
});

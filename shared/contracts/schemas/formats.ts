import { isIP } from 'node:net';
import { fullFormats } from 'ajv-formats/dist/formats.js';

// RFC 3339 as ajv-formats checks it (real calendar dates), and also a time JavaScript can read:
// ajv-formats alone lets through leap seconds and hour-only offsets (`+05`), which `Date` cannot
// read, so such a record would pass intake and fail later in the pipeline instead of getting a 400.
const rfc3339 = fullFormats['date-time'] as { validate: (value: string) => boolean };

/**
 * The string formats the schemas use, by name: ajv checks them at run time, and the validators
 * generated at build time (`scripts/standalone-validators.ts`) import this very module.
 */
export const formats = {
  'date-time': (value: string) => rfc3339.validate(value) && !Number.isNaN(Date.parse(value)),
  ip: (value: string) => isIP(value) !== 0,
} as const;

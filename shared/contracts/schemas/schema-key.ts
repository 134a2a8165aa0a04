import { createHash } from 'node:crypto';
import type { TSchema } from '@sinclair/typebox';

/**
 * A schema's identity across processes: the digest of its JSON, which the same code builds the
 * same way at build time and at run time (typebox's symbol keys are not JSON and do not count).
 */
export function computeSchemaKey(schema: TSchema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('base64url').slice(0, 22);
}

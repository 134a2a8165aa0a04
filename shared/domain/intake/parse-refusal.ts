import { jsonError } from '../../platform/http/responses.ts';
import type { HttpResponse } from '../../platform/http/types.ts';
import type { ParsedRecords } from './parse-records.ts';

/** The reply to a batch body that is not records: 400 naming the line, 413 for too many records. */
export function refuseParsedRecords(parsed: Exclude<ParsedRecords, { ok: true }>): HttpResponse {
  return parsed.reason === 'tooMany'
    ? jsonError(413, 'too many records', [{ path: 'body', message: parsed.message }])
    : jsonError(400, 'malformed JSON', [{ path: `body/line/${parsed.line}`, message: parsed.message }]);
}

import { countArrayElements } from './count-array-elements.ts';

/**
 * Records one request may carry. Real records take 100 bytes or more, so 10 MiB of them stays
 * under this; ten megabytes of `{}` lines (3.5 million records, from 10 KB of gzip) is refused
 * up front instead of being parsed, validated and answered record by record.
 */
export const maxRecordsPerBatch = 100_000;

export type ParsedRecords =
  | { ok: true; records: unknown[] }
  | { ok: false; reason: 'syntax'; line: number; message: string }
  | { ok: false; reason: 'tooMany'; message: string };

const tooMany = (limit: number): ParsedRecords => ({ ok: false, reason: 'tooMany', message: `has over ${limit} records; send at most ${limit} per request` });

/**
 * Parses a body that is either one JSON array of records or NDJSON (one record per line; blank
 * lines ignored). A syntax error names its 1-based line so the sender can find it. More than
 * `limit` records are refused before any of them is parsed into objects.
 */
export function tryParseRecords(text: string, limit = maxRecordsPerBatch): ParsedRecords {
  const start = firstNonSpace(text);
  if (start === -1) return { ok: false, reason: 'syntax', line: 1, message: 'body is empty' };
  return text[start] === '[' ? parseArray(text, start, limit) : parseLines(text, limit);
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff) return i;
  }
  return -1;
}

function parseArray(text: string, start: number, limit: number): ParsedRecords {
  if (countArrayElements(text, start, limit) > limit) return tooMany(limit);
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return { ok: false, reason: 'syntax', line: 1, message: 'expected a JSON array of records' };
    return { ok: true, records: value };
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? lineOf(text, text.length) : lineOf(text, Number(position));
    return { ok: false, reason: 'syntax', line, message: `invalid JSON: ${message}` };
  }
}

function parseLines(text: string, limit: number): ParsedRecords {
  const records: unknown[] = [];
  let line = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to === -1) to = text.length;
    line++;
    const chunk = text.slice(from, to).trim();
    from = to + 1;
    if (chunk === '') continue;
    if (records.length === limit) return tooMany(limit);
    try {
      records.push(JSON.parse(chunk));
    } catch (err) {
      return { ok: false, reason: 'syntax', line, message: `invalid JSON: ${(err as Error).message}` };
    }
  }
  return { ok: true, records };
}

function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export type ParsedRecords = { ok: true; records: unknown[] } | { ok: false; line: number; message: string };

/**
 * Parses a body that is either one JSON array of records or NDJSON (one record per line; blank
 * lines ignored). A syntax error names its 1-based line so the sender can find it.
 */
export function tryParseRecords(text: string): ParsedRecords {
  const start = firstNonSpace(text);
  if (start === -1) return { ok: false, line: 1, message: 'body is empty' };
  return text[start] === '[' ? parseArray(text) : parseLines(text);
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9 && c !== 0xfeff) return i;
  }
  return -1;
}

function parseArray(text: string): ParsedRecords {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return { ok: false, line: 1, message: 'expected a JSON array of records' };
    return { ok: true, records: value };
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? lineOf(text, text.length) : lineOf(text, Number(position));
    return { ok: false, line, message: `invalid JSON: ${message}` };
  }
}

function parseLines(text: string): ParsedRecords {
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
    try {
      records.push(JSON.parse(chunk));
    } catch (err) {
      return { ok: false, line, message: `invalid JSON: ${(err as Error).message}` };
    }
  }
  return { ok: true, records };
}

function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

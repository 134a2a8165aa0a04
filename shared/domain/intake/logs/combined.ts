import { countAt, isBlankAt, pathEnd, statusAt, twoDigitsAt } from './fields.ts';
import { UtcTimeText } from './utc-time-text.ts';
import { newLoggedRequest, reject, type DecodedLine, type LogDecoder } from './types.ts';

const monthNumbers = new Map(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [m, i]));
const commonLogTime = /^(?:0[1-9]|[12]\d|3[01])\/[A-Z][a-z]{2}\/\d{4}:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d [+-](?:[01]\d|2[0-3])[0-5]\d$/;

/**
 * Reads `10/Oct/2026:13:55:36 -0700` as RFC 3339 in UTC (`2026-10-10T20:55:36.000Z`, as
 * `toISOString` writes it), without `Date.parse` or `toISOString` per line.
 */
class CommonLogTimes {
  /** Midnight UTC of each `DD/Mon/YYYY` seen (NaN for no such day); a file spans a few days. */
  readonly #midnights = new Map<string, number>();
  readonly #utc = new UtcTimeText();

  tryParse(text: string): string | undefined {
    if (!commonLogTime.test(text)) return undefined;
    const date = text.slice(0, 11);
    let midnight = this.#midnights.get(date);
    if (midnight === undefined) {
      if (this.#midnights.size >= 1000) this.#midnights.clear();
      midnight = midnightOf(text);
      this.#midnights.set(date, midnight);
    }
    if (Number.isNaN(midnight)) return undefined;
    const offsetMinutes = (text.charCodeAt(21) === 45 ? -1 : 1) * (twoDigitsAt(text, 22) * 60 + twoDigitsAt(text, 24));
    const seconds = (twoDigitsAt(text, 12) * 60 + twoDigitsAt(text, 15)) * 60 + twoDigitsAt(text, 18);
    const utc = midnight + seconds * 1000 - offsetMinutes * 60_000;
    // With a zero offset the log's own clock is the UTC one.
    return offsetMinutes === 0 ? `${this.#utc.dayPrefixOf(utc)}${text.slice(12, 20)}.000Z` : this.#utc.of(utc);
  }
}

/** Midnight UTC of the `DD/Mon/YYYY` a time starts with, or NaN (`31/Nov`: Date.UTC would roll it over into December). */
function midnightOf(text: string): number {
  const month = monthNumbers.get(text.slice(3, 6));
  if (month === undefined) return Number.NaN;
  const day = twoDigitsAt(text, 0);
  const midnight = Date.UTC(Number(text.slice(7, 11)), month, day);
  return new Date(midnight).getUTCDate() === day ? midnight : Number.NaN;
}

/** Apache escapes `\"`, nginx `\x22` and other bytes as `\xHH`. */
function unescape(raw: string): string {
  return raw.replace(/\\x([0-9a-fA-F]{2})|\\(.)/g, (_, hex: string | undefined, char: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : (char ?? '')));
}

/** Where the `"..."` field at `i` ends (just after its closing quote), or -1; escaped quotes are passed over where the line has escapes. */
function quotedEnd(line: string, i: number, escaped: boolean): number {
  if (line.charCodeAt(i) !== 34) return -1;
  if (!escaped) {
    const q = line.indexOf('"', i + 1);
    return q === -1 ? -1 : q + 1;
  }
  for (let j = i + 1; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  return -1;
}

/** The text of the quoted field from `start` (its opening quote) to `end`, escapes undone. */
function quotedText(line: string, start: number, end: number, escaped: boolean): string {
  const raw = line.slice(start + 1, end - 1);
  return escaped && raw.includes('\\') ? unescape(raw) : raw;
}

/** Where the word at `i` ends: at the next space, or the line's end. */
function wordEnd(line: string, i: number): number {
  const space = line.indexOf(' ', i);
  return space === -1 ? line.length : space;
}

function skipSpaces(line: string, i: number): number {
  while (line.charCodeAt(i) === 32) i++;
  return i;
}

function isMethodAt(text: string, start: number, end: number): boolean {
  if (end <= start || end - start > 10) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** `http://` or `https://` (any case) at `i`: the length of the scheme and its slashes, else 0. */
function absoluteSchemeLength(text: string, i: number): number {
  if ((text.charCodeAt(i) | 32) !== 104 || (text.charCodeAt(i + 1) | 32) !== 116 || (text.charCodeAt(i + 2) | 32) !== 116 || (text.charCodeAt(i + 3) | 32) !== 112) return 0;
  const s = (text.charCodeAt(i + 4) | 32) === 115 ? 1 : 0;
  return text.startsWith('://', i + 4 + s) ? 7 + s : 0;
}

const isDashAt = (line: string, start: number, end: number) => end - start === 1 && line.charCodeAt(start) === 45;

/** The method at `start..end`, GET (nearly every line) without a new string. */
const methodOf = (text: string, start: number, end: number): string =>
  end - start === 3 && text.charCodeAt(start) === 71 && text.charCodeAt(start + 1) === 69 && text.charCodeAt(start + 2) === 84 ? 'GET' : text.slice(start, end);

/**
 * Apache/nginx combined: `%h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-agent}i"`, optionally
 * followed by `"$http_range"`. The line names no host (unless the request target is absolute):
 * the catalog is searched by path. `%b` is body bytes, `-` for none.
 */
export function createCombinedDecoder(): LogDecoder {
  return new CombinedDecoder();
}

class CombinedDecoder implements LogDecoder {
  readonly #times = new CommonLogTimes();
  // Lines come in time order, many to a second: the last time read is usually the next one too.
  #lastTime = '';
  #lastTs: string | undefined;

  decode(line: string): DecodedLine {
    // Nearly no line has an escape: those that do take the slower reading of quoted fields.
    const escaped = line.indexOf('\\') !== -1;
    const ipEnd = wordEnd(line, 0);
    let i = skipSpaces(line, ipEnd);
    i = skipSpaces(line, wordEnd(line, i)); // %l
    i = skipSpaces(line, wordEnd(line, i)); // %u
    if (line.charCodeAt(i) !== 91) return reject('expected [time] as the fourth field');
    const close = line.indexOf(']', i);
    if (close === -1) return reject('unterminated [time]');
    const timeText = line.slice(i + 1, close);
    if (timeText !== this.#lastTime) {
      this.#lastTime = timeText;
      this.#lastTs = this.#times.tryParse(timeText);
    }
    const ts = this.#lastTs;
    if (ts === undefined) return reject(`bad time ${JSON.stringify(timeText.slice(0, 40))}`);

    const requestStart = skipSpaces(line, close + 1);
    const requestEnd = quotedEnd(line, requestStart, escaped);
    if (requestEnd === -1) return reject('expected "METHOD target PROTOCOL" after the time');
    // The request line is read where it lies, or from its unescaped text where it has escapes.
    const requestText = escaped ? quotedText(line, requestStart, requestEnd, true) : line;
    const from = escaped ? 0 : requestStart + 1;
    const to = escaped ? requestText.length : requestEnd - 1;
    let methodEnd = requestText.indexOf(' ', from);
    if (methodEnd > to) methodEnd = -1;
    if (methodEnd === -1 || !isMethodAt(requestText, from, methodEnd)) return reject(`bad request line ${JSON.stringify(requestText.slice(from, to).slice(0, 100))}`);
    let targetEnd = requestText.indexOf(' ', methodEnd + 1);
    if (targetEnd === -1 || targetEnd > to) targetEnd = to;

    const statusStart = skipSpaces(line, requestEnd);
    const statusEnd = wordEnd(line, statusStart);
    const status = statusAt(line, statusStart, statusEnd);
    if (status < 0) return reject(`bad status ${JSON.stringify(line.slice(statusStart, statusEnd))}`);
    const bytesStart = skipSpaces(line, statusEnd);
    const bytesEnd = wordEnd(line, bytesStart);
    const bytes = isDashAt(line, bytesStart, bytesEnd) ? 0 : countAt(line, bytesStart, bytesEnd);
    if (bytes < 0) return reject(`bad byte count ${JSON.stringify(line.slice(bytesStart, bytesEnd))}`);
    const refererStart = skipSpaces(line, bytesEnd);
    const refererEnd = quotedEnd(line, refererStart, escaped);
    if (refererEnd === -1) return reject('expected "referer"');
    const agentStart = skipSpaces(line, refererEnd);
    const agentEnd = quotedEnd(line, agentStart, escaped);
    if (agentEnd === -1) return reject('expected "user agent"');
    const rangeStart = skipSpaces(line, agentEnd);
    const rangeEnd = quotedEnd(line, rangeStart, escaped);

    const target = methodEnd + 1;
    const scheme = absoluteSchemeLength(requestText, target);
    let host: string | undefined;
    let path: string;
    if (scheme === 0) path = requestText.slice(target, pathEnd(requestText, target, targetEnd));
    else {
      const hostStart = target + scheme;
      let slash = requestText.indexOf('/', hostStart);
      if (slash === -1 || slash > targetEnd) slash = targetEnd;
      host = requestText.slice(hostStart, slash);
      path = slash === targetEnd ? '/' : requestText.slice(slash, pathEnd(requestText, slash, targetEnd));
    }
    const agent = isDashAt(line, agentStart + 1, agentEnd - 1) ? '' : quotedText(line, agentStart, agentEnd, escaped);
    const request = newLoggedRequest(ts, line.slice(0, ipEnd), agent, methodOf(requestText, from, methodEnd), status, host, path);
    request.bytes_sent = bytes;
    if (!isBlankAt(line, refererStart + 1, refererEnd - 1)) request.referer = quotedText(line, refererStart, refererEnd, escaped);
    if (rangeEnd !== -1 && !isBlankAt(line, rangeStart + 1, rangeEnd - 1)) request.range = quotedText(line, rangeStart, rangeEnd, escaped);
    return { kind: 'request', request };
  }
}

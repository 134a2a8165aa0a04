import { pathOf, tryParseCount, tryParseStatus } from './fields.ts';
import { reject, type DecodedLine, type LogDecoder, type LoggedRequest } from './types.ts';

const months: Record<string, string> = { Jan: '01', Feb: '02', Mar: '03', Apr: '04', May: '05', Jun: '06', Jul: '07', Aug: '08', Sep: '09', Oct: '10', Nov: '11', Dec: '12' };

/** `10/Oct/2026:13:55:36 -0700` as RFC 3339 in UTC, or undefined. */
export function tryParseCommonLogTime(text: string): string | undefined {
  if (text.length !== 26 || text[2] !== '/' || text[6] !== '/' || text[11] !== ':' || text[20] !== ' ') return undefined;
  const month = months[text.slice(3, 6)];
  if (!month) return undefined;
  const local = `${text.slice(7, 11)}-${month}-${text.slice(0, 2)}T${text.slice(12, 20)}${text.slice(21, 24)}:${text.slice(24, 26)}`;
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Reads a `"..."` field at `i` (Apache escapes `\"`, nginx `\x22`); answers the text and where it ends. */
function readQuoted(line: string, i: number): { text: string; next: number } | undefined {
  if (line.charCodeAt(i) !== 34) return undefined;
  let j = i + 1;
  let escaped = false;
  for (; j < line.length; j++) {
    const c = line.charCodeAt(j);
    if (c === 92) {
      escaped = true;
      j++;
    } else if (c === 34) break;
  }
  if (j >= line.length) return undefined;
  const raw = line.slice(i + 1, j);
  return { text: escaped ? unescape(raw) : raw, next: j + 1 };
}

function unescape(raw: string): string {
  return raw.replace(/\\x([0-9a-fA-F]{2})|\\(.)/g, (_, hex: string | undefined, char: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : (char ?? '')));
}

function readWord(line: string, i: number): { text: string; next: number } {
  let j = line.indexOf(' ', i);
  if (j === -1) j = line.length;
  return { text: line.slice(i, j), next: j };
}

function isMethod(word: string): boolean {
  if (word.length < 1 || word.length > 10) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

const skipSpaces = (line: string, i: number) => {
  while (line.charCodeAt(i) === 32) i++;
  return i;
};

/**
 * Apache/nginx combined: `%h %l %u [%t] "%r" %>s %b "%{Referer}i" "%{User-agent}i"`, optionally
 * followed by `"$http_range"`. The line names no host (unless the request target is absolute):
 * the catalog is searched by path. `%b` is body bytes, `-` for none.
 */
export function createCombinedDecoder(): LogDecoder {
  // Lines come in time order, many to a second: the last time read is usually the next one too.
  let lastTime = '';
  let lastTs: string | undefined;
  return {
    decode(line: string): DecodedLine {
      const ip = readWord(line, 0);
      let i = skipSpaces(line, ip.next);
      i = skipSpaces(line, readWord(line, i).next); // %l
      i = skipSpaces(line, readWord(line, i).next); // %u
      if (line.charCodeAt(i) !== 91) return reject('expected [time] as the fourth field');
      const close = line.indexOf(']', i);
      if (close === -1) return reject('unterminated [time]');
      const timeText = line.slice(i + 1, close);
      if (timeText !== lastTime) {
        lastTime = timeText;
        lastTs = tryParseCommonLogTime(timeText);
      }
      const ts = lastTs;
      if (!ts) return reject(`bad time ${JSON.stringify(timeText.slice(0, 40))}`);
      const requestLine = readQuoted(line, skipSpaces(line, close + 1));
      if (!requestLine) return reject('expected "METHOD target PROTOCOL" after the time');
      const parts = requestLine.text.split(' ');
      if (parts.length < 2 || !isMethod(parts[0] as string)) return reject(`bad request line ${JSON.stringify(requestLine.text.slice(0, 100))}`);
      const statusWord = readWord(line, skipSpaces(line, requestLine.next));
      const status = tryParseStatus(statusWord.text);
      if (status === undefined) return reject(`bad status ${JSON.stringify(statusWord.text)}`);
      const bytesWord = readWord(line, skipSpaces(line, statusWord.next));
      const bytes = bytesWord.text === '-' ? 0 : tryParseCount(bytesWord.text);
      if (bytes === undefined) return reject(`bad byte count ${JSON.stringify(bytesWord.text)}`);
      const referer = readQuoted(line, skipSpaces(line, bytesWord.next));
      if (!referer) return reject('expected "referer"');
      const agent = readQuoted(line, skipSpaces(line, referer.next));
      if (!agent) return reject('expected "user agent"');
      const range = readQuoted(line, skipSpaces(line, agent.next));

      const target = parts[1] as string;
      const absolute = target.charCodeAt(0) === 47 ? null : /^https?:\/\//i.exec(target);
      let host: string | undefined;
      let path = pathOf(target);
      if (absolute) {
        const rest = target.slice(absolute[0].length);
        const slash = rest.indexOf('/');
        host = slash === -1 ? rest : rest.slice(0, slash);
        path = pathOf(slash === -1 ? '/' : rest.slice(slash));
      }
      const request: LoggedRequest = { ts, ip: ip.text, user_agent: agent.text === '-' ? '' : agent.text, method: parts[0] as string, status, host, path, bytes_sent: bytes };
      if (referer.text !== '-' && referer.text !== '') request.referer = referer.text;
      if (range && range.text !== '-' && range.text !== '') request.range = range.text;
      return { kind: 'request', request };
    },
  };
}

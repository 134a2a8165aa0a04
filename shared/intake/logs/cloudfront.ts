import { BoundedCache } from '../../ua/bounded-cache.ts';
import { dashToUndefined, isDateAndTime, percentDecode, tryParseCount, tryParseStatus } from './fields.ts';
import { reject, skipLine, type DecodedLine, type LogDecoder, type LoggedRequest } from './types.ts';

/** The fields of a standard log file that has no `#Fields:` line (the documented v1.0 order). */
export const defaultCloudFrontFields = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status',
  'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id',
  'x-host-header', 'cs-protocol', 'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher',
  'x-edge-response-result-type', 'cs-protocol-version', 'fle-status', 'fle-encrypted-fields', 'c-port',
  'time-to-first-byte', 'x-edge-detailed-result-type', 'sc-content-type', 'sc-content-len', 'sc-range-start', 'sc-range-end',
];

/** Which columns a line's fields are cut out for: the rest are only counted, never copied. */
function wantedOf(columns: Columns, width: number): boolean[] {
  const wanted = new Array<boolean>(width).fill(false);
  for (const i of Object.values(columns)) if (i >= 0) wanted[i] = true;
  return wanted;
}

/** The fields of a tab-separated line that are wanted (by index), and how many fields it has. */
function splitNeeded(line: string, wanted: readonly boolean[]): string[] & { count: number } {
  const out = [] as unknown as string[] & { count: number };
  let from = 0;
  let i = 0;
  for (;;) {
    const tab = line.indexOf('\t', from);
    const end = tab === -1 ? line.length : tab;
    out[i] = wanted[i] ? line.slice(from, end) : '';
    i++;
    if (tab === -1) break;
    from = tab + 1;
  }
  out.count = i;
  return out;
}

interface Columns {
  date: number; time: number; ip: number; method: number; distribution: number; stem: number; status: number;
  referer: number; agent: number; host: number; bytes: number; contentLength: number; rangeStart: number; rangeEnd: number;
}

function columnsOf(fields: readonly string[]): Columns {
  const at = (name: string) => fields.indexOf(name);
  return {
    date: at('date'), time: at('time'), ip: at('c-ip'), method: at('cs-method'), distribution: at('cs(Host)'), stem: at('cs-uri-stem'),
    status: at('sc-status'), referer: at('cs(Referer)'), agent: at('cs(User-Agent)'), host: at('x-host-header'), bytes: at('sc-bytes'),
    contentLength: at('sc-content-len'), rangeStart: at('sc-range-start'), rangeEnd: at('sc-range-end'),
  };
}

const required: Array<[keyof Columns, string]> = [['date', 'date'], ['time', 'time'], ['ip', 'c-ip'], ['method', 'cs-method'], ['stem', 'cs-uri-stem'], ['status', 'sc-status'], ['agent', 'cs(User-Agent)']];

/**
 * CloudFront standard logs: tab-separated, `#Version`/`#Fields:` comments, the columns in the
 * order `#Fields:` names (a file without one is read in the documented order). User agents and
 * referers arrive percent-encoded, some twice (`%2520`). `cs(Host)` is the distribution's own
 * domain; the host the listener asked for is `x-host-header`, so that is the one matched first.
 * `sc-bytes` counts the response headers too: the body is at most `sc-content-len`, or the range.
 */
export function createCloudFrontDecoder(): LogDecoder {
  let columns = columnsOf(defaultCloudFrontFields);
  let width = defaultCloudFrontFields.length;
  let wanted = wantedOf(columns, width);
  const agents = new AgentDecoder();
  return {
    decode(line: string): DecodedLine {
      if (line.charCodeAt(0) === 35) {
        if (line.startsWith('#Fields:')) {
          const fields = line.slice('#Fields:'.length).trim().split(/\s+/);
          const found = columnsOf(fields);
          const missing = required.filter(([k]) => found[k] < 0).map(([, name]) => name);
          if (missing.length) return reject(`#Fields: lacks ${missing.join(', ')}`);
          columns = found;
          width = fields.length;
          wanted = wantedOf(columns, width);
        }
        return skipLine;
      }
      const f = splitNeeded(line, wanted);
      if (f.count < width) return reject(`expected ${width} tab-separated fields (as #Fields: says), got ${f.count}`);
      const c = columns;
      const date = f[c.date] as string;
      const time = f[c.time] as string;
      if (!isDateAndTime(date, time)) return reject(`bad date and time ${JSON.stringify(`${date} ${time}`.slice(0, 40))}`);
      const ts = `${date}T${time}Z`;
      const status = tryParseStatus(f[c.status]);
      if (status === undefined) return reject(`bad sc-status ${JSON.stringify(f[c.status])}`);
      const method = f[c.method] as string;
      const request: LoggedRequest = {
        ts,
        ip: f[c.ip] as string,
        user_agent: agents.decode(f[c.agent] as string),
        method,
        status,
        host: (c.host >= 0 ? dashToUndefined(f[c.host]) : undefined) ?? (c.distribution >= 0 ? dashToUndefined(f[c.distribution]) : undefined),
        path: f[c.stem] as string,
      };
      if (c.host >= 0 && c.distribution >= 0 && request.host !== f[c.distribution]) {
        const distribution = dashToUndefined(f[c.distribution]);
        if (distribution) request.alternate = { host: distribution, path: request.path };
      }
      const referer = c.referer >= 0 ? dashToUndefined(f[c.referer]) : undefined;
      if (referer !== undefined) request.referer = percentDecode(referer);
      const start = c.rangeStart >= 0 ? tryParseCount(f[c.rangeStart]) : undefined;
      const end = c.rangeEnd >= 0 ? tryParseCount(f[c.rangeEnd]) : undefined;
      let body: number | undefined;
      if (start !== undefined && end !== undefined && end >= start) {
        request.range = `bytes=${start}-${end}`;
        body = end - start + 1;
      }
      const contentLength = c.contentLength >= 0 ? tryParseCount(f[c.contentLength]) : undefined;
      if (contentLength !== undefined) body = body === undefined ? contentLength : Math.min(body, contentLength);
      if (contentLength !== undefined && status === 200 && contentLength > 0) request.file_size = contentLength;
      const bytes = c.bytes >= 0 ? tryParseCount(f[c.bytes]) : undefined;
      // sc-bytes includes headers: it only tells a cut-off transfer, never a longer body.
      if (bytes !== undefined) body = body === undefined ? bytes : Math.min(body, bytes);
      if (body !== undefined) request.bytes_sent = body;
      return { kind: 'request', request };
    },
  };
}

/**
 * CloudFront encodes spaces and more in the agent; some pipelines encode it once again. A log
 * holds a few thousand distinct agents in millions of lines: each is decoded once.
 */
class AgentDecoder {
  readonly #cache = new BoundedCache<string, string>(10_000);

  decode(text: string): string {
    if (text === '-') return '';
    const cached = this.#cache.get(text);
    if (cached !== undefined) return cached;
    const once = percentDecode(text);
    const decoded = once.includes('%2') || once.includes('%3') ? percentDecode(once) : once;
    this.#cache.set(text, decoded);
    return decoded;
  }
}

import { BoundedCache } from '../../ua/bounded-cache.ts';
import { countAt, isBlankAt, isUtcDate, isUtcTime, percentDecode, statusAt } from './fields.ts';
import { newLoggedRequest, reject, skipLine, type DecodedLine, type LogDecoder } from './types.ts';

/** The fields of a standard log file that has no `#Fields:` line (the documented v1.0 order). */
export const defaultCloudFrontFields = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status',
  'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id',
  'x-host-header', 'cs-protocol', 'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher',
  'x-edge-response-result-type', 'cs-protocol-version', 'fle-status', 'fle-encrypted-fields', 'c-port',
  'time-to-first-byte', 'x-edge-detailed-result-type', 'sc-content-type', 'sc-content-len', 'sc-range-start', 'sc-range-end',
];

/** The columns read, each a slot in a line's field positions; the rest are only counted, never copied. */
const readFields = ['date', 'time', 'c-ip', 'cs-method', 'cs-uri-stem', 'sc-status', 'cs(User-Agent)', 'cs(Host)', 'cs(Referer)', 'x-host-header', 'sc-bytes', 'sc-content-len', 'sc-range-start', 'sc-range-end'] as const;
// Each read field's slot: its place in `readFields`.
const [DATE, TIME, IP, METHOD, STEM, STATUS, AGENT, DISTRIBUTION, REFERER, HOST, BYTES, CONTENT_LENGTH, RANGE_START, RANGE_END] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
/** Slots before this one name the fields a line cannot be read without. */
const requiredSlots = 7;

/** Runs of at least this many unread columns are passed over by one regular expression. */
const minSkippedRun = 3;

/** Where each read field is among a line's columns, as a `#Fields:` line (or the default order) says. */
interface Layout {
  width: number;
  /** Per column: its slot, or -1 for a column not read. */
  slotOfColumn: Int8Array;
  /** Per slot: whether the file has that column. */
  present: boolean[];
  /**
   * Per column that starts a run of unread columns: a sticky expression matching the run (each
   * field and its tab), so one native match passes over what would be a call per tab.
   */
  skipFrom: Array<{ pattern: RegExp; columns: number } | undefined>;
}

function layoutOf(fields: readonly string[]): Layout {
  const width = fields.length;
  const slotOfColumn = new Int8Array(width).fill(-1);
  const present = readFields.map(() => false);
  readFields.forEach((name, slot) => {
    const column = fields.indexOf(name);
    if (column >= 0) {
      slotOfColumn[column] = slot;
      present[slot] = true;
    }
  });
  const skipFrom: Layout['skipFrom'] = new Array(width).fill(undefined);
  // The last column has no tab after it, so a run ends before it.
  for (let column = 0; column < width - 1; ) {
    let end = column;
    while (end < width - 1 && slotOfColumn[end] === -1) end++;
    if (end - column >= minSkippedRun) skipFrom[column] = { pattern: new RegExp(`(?:[^\\t]*\\t){${end - column}}`, 'y'), columns: end - column };
    column = end === column ? column + 1 : end;
  }
  return { width, slotOfColumn, present, skipFrom };
}

/** How many tab-separated fields a line has. */
function countFields(line: string): number {
  let count = 1;
  for (let tab = line.indexOf('\t'); tab !== -1; tab = line.indexOf('\t', tab + 1)) count++;
  return count;
}

/**
 * CloudFront standard logs: tab-separated, `#Version`/`#Fields:` comments, the columns in the
 * order `#Fields:` names (a file without one is read in the documented order). User agents and
 * referers arrive percent-encoded, some twice (`%2520`). `cs(Host)` is the distribution's own
 * domain; the host the listener asked for is `x-host-header`, so that is the one matched first.
 * `sc-bytes` counts the response headers too: the body is at most `sc-content-len`, or the range.
 */
export function createCloudFrontDecoder(): LogDecoder {
  return new CloudFrontDecoder();
}

class CloudFrontDecoder implements LogDecoder {
  #layout = layoutOf(defaultCloudFrontFields);
  // Where each slot's field starts and ends in the line being read.
  readonly #starts = new Int32Array(readFields.length);
  readonly #ends = new Int32Array(readFields.length);
  readonly #agents = new AgentDecoder();
  // Lines come many to a second: the last time read is often the next one too.
  #lastDate = '';
  #lastTime = '';
  #lastTs = '';

  decode(line: string): DecodedLine {
    if (line.charCodeAt(0) === 35) return this.#readComment(line);
    const layout = this.#layout;
    const starts = this.#starts;
    const ends = this.#ends;
    const { width, slotOfColumn, skipFrom } = layout;
    const n = line.length;
    let from = 0;
    let column = 0;
    while (column < width) {
      const skip = skipFrom[column];
      if (skip !== undefined) {
        skip.pattern.lastIndex = from;
        if (!skip.pattern.test(line)) break;
        from = skip.pattern.lastIndex;
        column += skip.columns;
        continue;
      }
      let tab = line.indexOf('\t', from);
      if (tab === -1) tab = n;
      const slot = slotOfColumn[column] as number;
      if (slot >= 0) {
        starts[slot] = from;
        ends[slot] = tab;
      }
      column++;
      if (tab === n) break;
      from = tab + 1;
    }
    if (column < width) return reject(`expected ${width} tab-separated fields (as #Fields: says), got ${countFields(line)}`);

    const ts = this.#timeAt(line);
    if (ts === undefined) return reject(`bad date and time ${JSON.stringify(`${this.#field(line, DATE)} ${this.#field(line, TIME)}`.slice(0, 40))}`);
    const status = statusAt(line, starts[STATUS] as number, ends[STATUS] as number);
    if (status < 0) return reject(`bad sc-status ${JSON.stringify(this.#field(line, STATUS))}`);
    const present = layout.present;
    const distribution = present[DISTRIBUTION] && !this.#isBlank(line, DISTRIBUTION) ? this.#field(line, DISTRIBUTION) : undefined;
    const host = present[HOST] && !this.#isBlank(line, HOST) ? this.#field(line, HOST) : distribution;
    const path = this.#field(line, STEM);
    const request = newLoggedRequest(
      ts,
      this.#field(line, IP),
      this.#agents.decode(line, starts[AGENT] as number, ends[AGENT] as number),
      this.#field(line, METHOD),
      status,
      host,
      path,
    );
    if (distribution !== undefined && host !== distribution) request.alternate = { host: distribution, path };
    if (present[REFERER] && !this.#isBlank(line, REFERER)) request.referer = percentDecode(this.#field(line, REFERER));

    let body = -1;
    const start = present[RANGE_START] ? this.#count(line, RANGE_START) : -1;
    const end = present[RANGE_END] ? this.#count(line, RANGE_END) : -1;
    if (start >= 0 && end >= start) {
      request.range = `bytes=${start}-${end}`;
      body = end - start + 1;
    }
    const contentLength = present[CONTENT_LENGTH] ? this.#count(line, CONTENT_LENGTH) : -1;
    if (contentLength >= 0) body = body < 0 ? contentLength : Math.min(body, contentLength);
    if (contentLength > 0 && status === 200) request.file_size = contentLength;
    // sc-bytes includes headers: it only tells a cut-off transfer, never a longer body.
    const bytes = present[BYTES] ? this.#count(line, BYTES) : -1;
    if (bytes >= 0) body = body < 0 ? bytes : Math.min(body, bytes);
    if (body >= 0) request.bytes_sent = body;
    return { kind: 'request', request };
  }

  #readComment(line: string): DecodedLine {
    if (!line.startsWith('#Fields:')) return skipLine;
    const fields = line.slice('#Fields:'.length).trim().split(/\s+/);
    const layout = layoutOf(fields);
    const missing = readFields.filter((name, slot) => slot < requiredSlots && !layout.present[slot]);
    if (missing.length) return reject(`#Fields: lacks ${missing.join(', ')}`);
    this.#layout = layout;
    return skipLine;
  }

  #timeAt(line: string): string | undefined {
    const date = this.#field(line, DATE);
    const time = this.#field(line, TIME);
    if (time === this.#lastTime && date === this.#lastDate) return this.#lastTs;
    if ((date !== this.#lastDate && !isUtcDate(date)) || !isUtcTime(time)) return undefined;
    this.#lastDate = date;
    this.#lastTime = time;
    this.#lastTs = `${date}T${time}Z`;
    return this.#lastTs;
  }

  #field(line: string, slot: number): string {
    return line.slice(this.#starts[slot], this.#ends[slot]);
  }

  #isBlank(line: string, slot: number): boolean {
    return isBlankAt(line, this.#starts[slot] as number, this.#ends[slot] as number);
  }

  #count(line: string, slot: number): number {
    return countAt(line, this.#starts[slot] as number, this.#ends[slot] as number);
  }
}

/**
 * CloudFront encodes spaces and more in the agent; some pipelines encode it once again. A log
 * holds a few thousand distinct agents in millions of lines: each is decoded once.
 */
class AgentDecoder {
  readonly #cache = new BoundedCache<string, string>(10_000);
  // A listener's requests often follow one another: the agent of the line before is tried first.
  #lastRaw = '';
  #lastDecoded = '';

  decode(line: string, start: number, end: number): string {
    if (isBlankAt(line, start, end)) return '';
    const raw = line.slice(start, end);
    if (raw === this.#lastRaw) return this.#lastDecoded;
    let decoded = this.#cache.get(raw);
    if (decoded === undefined) {
      const once = percentDecode(raw);
      decoded = once.includes('%2') || once.includes('%3') ? percentDecode(once) : once;
      this.#cache.set(raw, decoded);
    }
    this.#lastRaw = raw;
    this.#lastDecoded = decoded;
    return decoded;
  }
}

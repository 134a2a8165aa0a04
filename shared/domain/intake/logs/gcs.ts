import { countAt, isBlankAt, pathEnd, statusAt } from './fields.ts';
import { UtcTimeText } from './utc-time-text.ts';
import { newLoggedRequest, reject, skipLine, type DecodedLine, type LogDecoder } from './types.ts';

/** The columns of a Cloud Storage usage log, in the order the documented header gives them. */
export const gcsUsageFields = [
  'time_micros', 'c_ip', 'c_ip_type', 'c_ip_region', 'cs_method', 'cs_uri', 'sc_status', 'cs_bytes', 'sc_bytes',
  'time_taken_micros', 'cs_host', 'cs_referer', 'cs_user_agent', 's_request_id', 'cs_operation', 'cs_bucket', 'cs_object',
];

/**
 * Where each field of one CSV line lies (inside its quotes), read by index: the line is cut only
 * where a field is wanted, and `""` is undone only in a field that has one.
 */
class CsvFields {
  starts = new Int32Array(32);
  ends = new Int32Array(32);
  /** Per field: whether it holds a doubled quote. */
  doubled = new Uint8Array(32);
  count = 0;

  /** Reads the positions of the line's fields; false for a line that is no CSV record (unbalanced quotes). */
  read(line: string): boolean {
    const n = line.length;
    let i = 0;
    let count = 0;
    for (;;) {
      if (count === this.starts.length) this.#grow();
      let end: number;
      let next: number;
      let doubled = 0;
      if (line.charCodeAt(i) === 34) {
        let q = line.indexOf('"', i + 1);
        while (q !== -1 && line.charCodeAt(q + 1) === 34) {
          doubled = 1;
          q = line.indexOf('"', q + 2);
        }
        if (q === -1) return false;
        this.starts[count] = i + 1;
        end = q;
        next = q + 1;
      } else {
        let comma = line.indexOf(',', i);
        if (comma === -1) comma = n;
        this.starts[count] = i;
        end = comma;
        next = comma;
      }
      this.ends[count] = end;
      this.doubled[count] = doubled;
      count++;
      if (next >= n) break;
      if (line.charCodeAt(next) !== 44) return false;
      i = next + 1;
      // A trailing comma ends with an empty field.
      if (i === n) {
        if (count === this.starts.length) this.#grow();
        this.starts[count] = n;
        this.ends[count] = n;
        this.doubled[count] = 0;
        count++;
        break;
      }
    }
    this.count = count;
    return true;
  }

  text(line: string, field: number): string {
    const raw = line.slice(this.starts[field], this.ends[field]);
    return this.doubled[field] ? raw.replaceAll('""', '"') : raw;
  }

  isBlank(line: string, field: number): boolean {
    return isBlankAt(line, this.starts[field] as number, this.ends[field] as number);
  }

  #grow(): void {
    const size = this.starts.length * 2;
    const grown = (from: Int32Array) => {
      const to = new Int32Array(size);
      to.set(from);
      return to;
    };
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
    const doubled = new Uint8Array(size);
    doubled.set(this.doubled);
    this.doubled = doubled;
  }
}

/** The columns read, by their place in the header (-1 where the header has no such column). */
interface Columns {
  width: number;
  time: number; ip: number; method: number; uri: number; status: number; bytes: number; host: number; referer: number; agent: number; bucket: number; object: number;
}

function columnsOf(header: readonly string[]): Columns {
  const at = (name: string) => header.indexOf(name);
  return {
    width: header.length, time: at('time_micros'), ip: at('c_ip'), method: at('cs_method'), uri: at('cs_uri'), status: at('sc_status'), bytes: at('sc_bytes'),
    host: at('cs_host'), referer: at('cs_referer'), agent: at('cs_user_agent'), bucket: at('cs_bucket'), object: at('cs_object'),
  };
}

const isHeader = (line: string) => line.startsWith('"time_micros"') || line.startsWith('time_micros,');
/** What encodeURIComponent leaves as it is, and the slashes between segments. */
const plainObjectName = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/**
 * Cloud Storage usage logs (CSV, a header line of quoted column names first). Requests go to
 * `storage.googleapis.com/<bucket>/<object>`, a bucket's own domain, or the JSON API's download
 * path; the bucket and object name give the public URL to match as well. `sc_bytes` is the body.
 */
export function createGcsDecoder(): LogDecoder {
  return new GcsDecoder();
}

class GcsDecoder implements LogDecoder {
  #columns = columnsOf(gcsUsageFields);
  readonly #fields = new CsvFields();
  readonly #times = new UtcTimeText();
  #lastObject = '';
  #lastObjectPath = '';

  decode(line: string): DecodedLine {
    const f = this.#fields;
    if (!f.read(line)) return reject('not a CSV record (unbalanced quotes)');
    if (isHeader(line)) {
      this.#columns = columnsOf(Array.from({ length: f.count }, (_, i) => f.text(line, i)));
      return skipLine;
    }
    const c = this.#columns;
    if (f.count < c.width) return reject(`expected ${c.width} CSV fields, got ${f.count}`);
    const micros = c.time < 0 ? -1 : countAt(line, f.starts[c.time] as number, f.ends[c.time] as number);
    if (micros < 0) return reject('bad time_micros');
    const status = c.status < 0 ? -1 : statusAt(line, f.starts[c.status] as number, f.ends[c.status] as number);
    if (status < 0) return reject(`bad sc_status ${JSON.stringify(c.status < 0 ? undefined : f.text(line, c.status))}`);
    let path = '';
    if (c.uri >= 0 && f.doubled[c.uri]) {
      const uri = f.text(line, c.uri);
      path = uri.slice(0, pathEnd(uri, 0, uri.length));
    } else if (c.uri >= 0) path = line.slice(f.starts[c.uri], pathEnd(line, f.starts[c.uri] as number, f.ends[c.uri] as number));
    const request = newLoggedRequest(
      this.#times.of(Math.floor(micros / 1000)),
      c.ip < 0 ? '' : f.text(line, c.ip),
      c.agent < 0 ? '' : f.text(line, c.agent),
      c.method < 0 ? '' : f.text(line, c.method),
      status,
      c.host < 0 || f.isBlank(line, c.host) ? undefined : f.text(line, c.host),
      path,
    );
    const bytes = c.bytes < 0 ? -1 : countAt(line, f.starts[c.bytes] as number, f.ends[c.bytes] as number);
    if (bytes >= 0) request.bytes_sent = bytes;
    if (c.referer >= 0 && !f.isBlank(line, c.referer)) request.referer = f.text(line, c.referer);
    if (c.bucket >= 0 && c.object >= 0 && !f.isBlank(line, c.bucket) && !f.isBlank(line, c.object)) {
      request.alternate = { host: 'storage.googleapis.com', path: `/${f.text(line, c.bucket)}/${this.#objectPath(f.text(line, c.object))}` };
    }
    return { kind: 'request', request };
  }

  /** The object name as a URL path, each segment percent-encoded (most names need none). */
  #objectPath(object: string): string {
    if (object !== this.#lastObject) {
      this.#lastObject = object;
      this.#lastObjectPath = plainObjectName.test(object) ? object : object.split('/').map(encodeURIComponent).join('/');
    }
    return this.#lastObjectPath;
  }
}

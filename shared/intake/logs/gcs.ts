import { dashToUndefined, pathOf, tryParseCount, tryParseStatus } from './fields.ts';
import { reject, skipLine, type DecodedLine, type LogDecoder, type LoggedRequest } from './types.ts';

/** The columns of a Cloud Storage usage log, in the order the documented header gives them. */
export const gcsUsageFields = [
  'time_micros', 'c_ip', 'c_ip_type', 'c_ip_region', 'cs_method', 'cs_uri', 'sc_status', 'cs_bytes', 'sc_bytes',
  'time_taken_micros', 'cs_host', 'cs_referer', 'cs_user_agent', 's_request_id', 'cs_operation', 'cs_bucket', 'cs_object',
];

/** One CSV record of quoted (or bare) fields, `""` inside quotes for a quote; undefined if malformed. */
export function trySplitCsv(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let text = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q === -1) return undefined;
        if (line.charCodeAt(q + 1) === 34) {
          text += line.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        text += line.slice(from, q);
        i = q + 1;
        break;
      }
      out.push(text);
    } else {
      let comma = line.indexOf(',', i);
      if (comma === -1) comma = line.length;
      out.push(line.slice(i, comma));
      i = comma;
    }
    if (i >= line.length) return out;
    if (line.charCodeAt(i) !== 44) return undefined;
    i++;
  }
}

/**
 * Cloud Storage usage logs (CSV, a header line of quoted column names first). Requests go to
 * `storage.googleapis.com/<bucket>/<object>`, a bucket's own domain, or the JSON API's download
 * path; the bucket and object name give the public URL to match as well. `sc_bytes` is the body.
 */
export function createGcsDecoder(): LogDecoder {
  let index = new Map(gcsUsageFields.map((name, i) => [name, i]));
  const column = (f: string[], name: string) => {
    const i = index.get(name);
    return i === undefined ? undefined : f[i];
  };
  return {
    decode(line: string): DecodedLine {
      const f = trySplitCsv(line);
      if (!f) return reject('not a CSV record (unbalanced quotes)');
      if (f[0] === 'time_micros') {
        index = new Map(f.map((name, i) => [name, i]));
        return skipLine;
      }
      if (f.length < index.size) return reject(`expected ${index.size} CSV fields, got ${f.length}`);
      const micros = tryParseCount(column(f, 'time_micros'));
      if (micros === undefined) return reject('bad time_micros');
      const status = tryParseStatus(column(f, 'sc_status'));
      if (status === undefined) return reject(`bad sc_status ${JSON.stringify(column(f, 'sc_status'))}`);
      const uri = column(f, 'cs_uri') ?? '';
      const request: LoggedRequest = {
        ts: new Date(Math.floor(micros / 1000)).toISOString(),
        ip: column(f, 'c_ip') ?? '',
        user_agent: column(f, 'cs_user_agent') ?? '',
        method: column(f, 'cs_method') ?? '',
        status,
        host: dashToUndefined(column(f, 'cs_host')),
        path: pathOf(uri),
      };
      const bytes = tryParseCount(column(f, 'sc_bytes'));
      if (bytes !== undefined) request.bytes_sent = bytes;
      const referer = dashToUndefined(column(f, 'cs_referer'));
      if (referer !== undefined) request.referer = referer;
      const bucket = dashToUndefined(column(f, 'cs_bucket'));
      const object = dashToUndefined(column(f, 'cs_object'));
      if (bucket && object) request.alternate = { host: 'storage.googleapis.com', path: `/${bucket}/${object.split('/').map(encodeURIComponent).join('/')}` };
      return { kind: 'request', request };
    },
  };
}

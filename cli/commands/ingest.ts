import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { isLogFormat, logFormats } from '../../shared/domain/intake/logs/types.ts';
import { readIngestState, resumeLine, writeIngestState } from '../intake/ingest-state.ts';
import { readLineChunks, type LineChunk } from '../intake/read-chunks.ts';
import { resolvePlatformTarget, type PlatformTarget } from '../intake/target.ts';
import { postWithRetry } from '../simulate/sender.ts';
import { UsageError } from '../usage-error.ts';

export const ingestUsage = `earshot ingest --format ${logFormats.join('|')} FILE... [--url http://localhost:8080] [--data .earshot] [--config FILE] [--platform ID] [--restart] [--quiet]`;

const chunkBytes = 2 * 1024 * 1024;
/** Bodies in flight at once: one being decoded by the server while the next is read and sent. */
const inFlight = 2;

interface Summary {
  files: number;
  lines: number;
  accepted: number;
  rejected: number;
  rejected_by_rule: Record<string, number>;
  resumed_after_lines: number;
  /** Files an earlier run finished (same size and time): not read again. */
  already_ingested: number;
}

interface LogsReply {
  accepted: number;
  rejected: Array<{ line: number; errors: Array<{ path: string; rule: string; message: string }> }>;
  rejected_count: number;
  rejected_by_rule: Record<string, number>;
}

/**
 * `earshot ingest`: access-log files (plain or gzipped) into a running Earshot through
 * `POST /beacon/logs`, in chunks, with a progress bar and a closing summary. The position of every
 * file is kept in `<data>/ingest-state.json` once the server has acknowledged it, so an
 * interrupted ingest continues where it stopped (and a repeated line would dedupe anyway).
 */
export async function runIngest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      url: { type: 'string' },
      data: { type: 'string', default: '.earshot' },
      config: { type: 'string' },
      platform: { type: 'string' },
      restart: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!isLogFormat(values.format)) throw new UsageError(`--format must be one of ${logFormats.join(', ')}, got ${JSON.stringify(values.format ?? '')}`);
  if (!positionals.length) throw new UsageError('ingest needs at least one log file');
  const format = values.format;
  const files = positionals.map((p) => {
    try {
      const s = statSync(p);
      if (!s.isFile()) throw new Error('not a file');
      return { path: resolve(p), size: s.size, mtimeMs: s.mtimeMs };
    } catch (err) {
      throw new UsageError(`cannot read ${p}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  });
  const target = resolvePlatformTarget(values);
  const state = values.restart ? {} : readIngestState(values.data);
  const summary: Summary = { files: files.length, lines: 0, accepted: 0, rejected: 0, rejected_by_rule: {}, resumed_after_lines: 0, already_ingested: 0 };
  const examples: string[] = [];

  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const bar = new cliProgress.SingleBar(
    { format: 'ingesting {bar} {percentage}% | {lines} lines, {rate} MB/s | {accepted} accepted, {rejected} rejected', stream: process.stderr, noTTYOutput: !values.quiet, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let bytesBefore = 0;
  bar.start(Math.max(1, totalBytes), 0, { lines: 0, rate: '0.0', accepted: 0, rejected: 0 });
  const progress = (bytes: number) =>
    bar.update(bytes, { lines: summary.lines, rate: (bytes / 1e6 / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1), accepted: summary.accepted, rejected: summary.rejected });

  for (const file of files) {
    const after = resumeLine(state[file.path], file.size, file.mtimeMs, format);
    if (after === Number.POSITIVE_INFINITY) {
      summary.already_ingested++;
      bytesBefore += file.size;
      progress(bytesBefore);
      continue;
    }
    summary.resumed_after_lines += after;
    const position = { size: file.size, mtime_ms: file.mtimeMs, format, line: after, done: false };
    state[file.path] = position;
    // Acknowledgements may come out of order; the position only moves over a run of finished chunks.
    const finished = new Map<number, number>();
    let nextToRecord = 0;
    let sequence = 0;
    const pending = new Set<Promise<void>>();
    for await (const chunk of readLineChunks(file.path, chunkBytes, after)) {
      const index = sequence++;
      const work = sendChunk(target, format, chunk, summary, examples).then(() => {
        finished.set(index, chunk.numbers[chunk.numbers.length - 1] ?? position.line);
        while (finished.has(nextToRecord)) {
          position.line = finished.get(nextToRecord) as number;
          finished.delete(nextToRecord++);
        }
        writeIngestState(values.data, state);
        progress(bytesBefore + chunk.bytesRead);
      });
      pending.add(work);
      void work.finally(() => pending.delete(work)).catch(() => {});
      if (pending.size >= inFlight) await Promise.race(pending);
    }
    await Promise.all(pending);
    position.done = true;
    writeIngestState(values.data, state);
    bytesBefore += file.size;
    progress(bytesBefore);
  }
  bar.stop();
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    [
      `ingested ${summary.lines} lines of ${summary.files} file(s) in ${seconds.toFixed(1)} s: ${summary.accepted} accepted, ${summary.rejected} rejected`,
      ...Object.entries(summary.rejected_by_rule).map(([rule, n]) => `  rejected by ${rule}: ${n}`),
      ...examples.map((e) => `  e.g. ${e}`),
      ...(summary.resumed_after_lines ? [`  resumed: ${summary.resumed_after_lines} lines were already ingested`] : []),
      ...(summary.already_ingested ? [`  ${summary.already_ingested} file(s) already ingested by an earlier run (--restart reads them again)`] : []),
    ].join('\n') + '\n',
  );
  process.stdout.write(JSON.stringify(summary) + '\n');
  return 0;
}

async function sendChunk(target: PlatformTarget, format: string, chunk: LineChunk, summary: Summary, examples: string[]): Promise<void> {
  const offset = chunk.header === undefined ? 0 : 1;
  const body = (chunk.header === undefined ? '' : chunk.header + '\n') + chunk.lines.join('\n') + '\n';
  const result = await postWithRetry(`${target.base}/beacon/logs?format=${format}`, body, { authorization: `Bearer ${target.key}`, 'content-type': 'text/plain' });
  const reply = JSON.parse(result.body) as LogsReply;
  summary.lines += chunk.lines.length;
  summary.accepted += reply.accepted;
  summary.rejected += reply.rejected_count;
  for (const [rule, n] of Object.entries(reply.rejected_by_rule)) summary.rejected_by_rule[rule] = (summary.rejected_by_rule[rule] ?? 0) + n;
  for (const r of reply.rejected) {
    if (examples.length >= 5) break;
    const fileLine = chunk.numbers[r.line - 1 - offset];
    examples.push(`line ${fileLine ?? '?'}: ${r.errors.map((e) => `${e.rule}: ${e.message}`).join('; ')}`);
  }
}

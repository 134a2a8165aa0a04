import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { LineSplitter } from '../../shared/domain/intake/logs/split-lines.ts';

/** A run of a file's lines, with their numbers in the file, ready to send as one body. */
export interface LineChunk {
  lines: string[];
  numbers: number[];
  /** The last header (`#Fields:`, the CSV header) seen before these lines, to send with them. */
  header: string | undefined;
  /** File bytes read so far (compressed, for a .gz), for the progress bar. */
  bytesRead: number;
}

const isHeader = (line: string) => line.startsWith('#Fields:') || line.startsWith('"time_micros"') || line.startsWith('time_micros,');

/**
 * A plain or gzipped (by its magic bytes) log file in chunks of about `chunkBytes`, skipping lines
 * up to `afterLine` (already acknowledged) but still reading the headers among them.
 */
export async function* readLineChunks(path: string, chunkBytes: number, afterLine: number): AsyncGenerator<LineChunk> {
  const gzipped = await startsWithGzipMagic(path);
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  file.on('data', (b) => (bytesRead += (b as Buffer).length));
  const input = gzipped ? file.pipe(createGunzip()) : file;
  const decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter();
  let header: string | undefined;
  let chunkHeader: string | undefined;
  let lines: string[] = [];
  let numbers: number[] = [];
  let size = 0;
  const ready: LineChunk[] = [];
  const take = (line: string, n: number) => {
    if (isHeader(line)) {
      header = line;
      // A new header ends the chunk: the lines after it are read by it.
      if (lines.length) flush();
      return;
    }
    // Other comments (`#Version:`) say nothing the server needs.
    if (line.charCodeAt(0) === 35 || n <= afterLine) return;
    if (!lines.length) chunkHeader = header;
    lines.push(line);
    numbers.push(n);
    size += line.length + 1;
    if (size >= chunkBytes) flush();
  };
  const flush = () => {
    ready.push({ lines, numbers, header: chunkHeader, bytesRead });
    lines = [];
    numbers = [];
    size = 0;
  };
  for await (const data of input) {
    splitter.push(decoder.write(data as Buffer), take);
    while (ready.length) yield ready.shift() as LineChunk;
  }
  splitter.push(decoder.end(), take);
  splitter.end(take);
  if (lines.length) flush();
  while (ready.length) yield ready.shift() as LineChunk;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const stream = createReadStream(path, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const head = Buffer.concat(chunks);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

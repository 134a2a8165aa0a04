import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { describeErrors } from '../../shared/platform/config/parse-config.ts';
import type { UaClassifier } from '../../shared/domain/ua/classifier.ts';
import { loadUaClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { UsageError } from '../usage-error.ts';
import { toTerminalJson } from '../terminal-text.ts';

export const classifyUsage = 'earshot classify [--ua-list DIR]   (one User-Agent per stdin line -> NDJSON)';

// Lines are written in chunks of about this size: one write per line is slow on large inputs.
const chunkSize = 64 * 1024;

/**
 * `earshot classify`: one User-Agent per stdin line -> one NDJSON line
 * `{ua, type, name, device, bot}` on stdout (README.md, Commands). `--ua-list DIR` loads a pinned OPAWG
 * release instead of the built-in list; a folder that can't be loaded is bad input (exit 2).
 */
export async function runClassify(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'ua-list': { type: 'string' } }, strict: true });
  const loaded = await loadUaClassifier(values['ua-list']);
  if (!loaded.ok) throw new UsageError(`--ua-list: ${describeErrors(loaded.errors)}`);
  await classifyLines(loaded.value, process.stdin, process.stdout);
  return 0;
}

/** Streams `input` line by line to NDJSON classifications on `output`, a chunk at a time. */
export async function classifyLines(classifier: UaClassifier, input: Readable, output: Writable): Promise<void> {
  // Write errors reach the write callbacks; unlistened, the stream's 'error' event would also crash.
  const ignore = (): void => undefined;
  output.on('error', ignore);
  try {
    let pending = '';
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      const { type, name, device, bot } = classifier.classify(line);
      // The agent comes from a listener's request: C1 and bidi controls escaped too (still the same JSON).
      pending += toTerminalJson({ ua: line, type, name, device, bot }) + '\n';
      if (pending.length >= chunkSize) {
        await writeChunk(output, pending);
        pending = '';
      }
    }
    if (pending) await writeChunk(output, pending);
  } catch (err) {
    // A reader that stops early (`| head`) is not a failure: stop reading.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
    input.destroy();
  } finally {
    output.off('error', ignore);
  }
}

/** Resolves once `text` is handed to the output, which also waits out backpressure. */
function writeChunk(output: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => output.write(text, (err) => (err ? reject(err) : resolve())));
}

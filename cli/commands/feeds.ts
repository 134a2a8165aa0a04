import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolvePlatformTarget } from '../intake/target.ts';
import { UsageError } from '../usage-error.ts';

export const feedsUsage = 'earshot feeds add FILE_OR_URL... [--url http://localhost:8080] [--data .earshot] [--config FILE] [--platform ID]';

/**
 * `earshot feeds add`: RSS feeds (files, or URLs the server fetches) into a running Earshot's
 * episode catalog through `POST /beacon/feeds`; one JSON line per feed on stdout.
 */
export async function runFeeds(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { url: { type: 'string' }, data: { type: 'string', default: '.earshot' }, config: { type: 'string' }, platform: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [sub, ...sources] = positionals;
  if (sub !== 'add') throw new UsageError(`expected "feeds add FILE_OR_URL...", got ${JSON.stringify(sub ?? '')}`);
  if (!sources.length) throw new UsageError('feeds add needs at least one feed file or URL');
  const target = resolvePlatformTarget(values);
  let failures = 0;
  for (const source of sources) {
    const isUrl = /^https?:\/\//i.test(source);
    let body: string;
    try {
      body = isUrl ? JSON.stringify({ url: source }) : readFileSync(source, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const response = await fetch(`${target.base}/beacon/feeds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.key}`, 'content-type': isUrl ? 'application/json' : 'application/rss+xml' },
      body,
    }).catch((err: Error) => {
      throw new UsageError(`cannot reach ${target.base}: ${err.message} (is earshot start running?)`);
    });
    const text = await response.text();
    if (response.status !== 200) {
      failures++;
      process.stderr.write(`earshot feeds: ${source}: ${response.status} ${oneLine(text)}\n`);
      continue;
    }
    process.stdout.write(JSON.stringify({ feed: source, ...(JSON.parse(text) as object) }) + '\n');
  }
  return failures ? 2 : 0;
}

function oneLine(text: string): string {
  try {
    const error = JSON.parse(text) as { error?: string; details?: Array<{ message?: string }> };
    return [error.error, ...(error.details ?? []).map((d) => d.message)].filter(Boolean).join(': ');
  } catch {
    return text.slice(0, 200).replace(/\s+/g, ' ');
  }
}

import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { cloudFrontPreamble, toCloudFrontLine, toCombinedLine, toShowFeed, type LoggableRequest } from './log-lines.ts';
import type { SimulatedDay } from './traffic.ts';

export interface WrittenLogs {
  dir: string;
  feeds: string[];
  cloudfront: string;
  combined: string;
  requests: number;
}

const write = (stream: WriteStream, text: string) => new Promise<void>((resolve) => (stream.write(text) ? resolve() : stream.once('drain', () => resolve())));

/**
 * The simulated downloads as a CDN and a web server would have logged them (a CloudFront standard
 * log and an nginx combined log with `"$http_range"`), plus one RSS feed per show, so `earshot
 * feeds add` and `earshot ingest` can be tried on them. Ads are not in logs: they need the JSON path.
 */
export async function writeTrafficLogs(dir: string, days: Iterable<SimulatedDay>): Promise<WrittenLogs> {
  mkdirSync(join(dir, 'feeds'), { recursive: true });
  const cloudfrontPath = join(dir, 'cloudfront.log');
  const combinedPath = join(dir, 'combined.log');
  const cloudfront = createWriteStream(cloudfrontPath);
  const combined = createWriteStream(combinedPath);
  await write(cloudfront, cloudFrontPreamble().join('\n') + '\n');
  const shows = new Map<string, Map<string, LoggableRequest>>();
  let requests = 0;
  for (const day of days) {
    const cf: string[] = [];
    const cb: string[] = [];
    for (const beacon of day.beacons) {
      const request: LoggableRequest = { ...beacon };
      cf.push(toCloudFrontLine(request, `sim-${requests}`));
      cb.push(toCombinedLine(request));
      requests++;
      const episodes = shows.get(beacon.show_id) ?? new Map<string, LoggableRequest>();
      episodes.set(beacon.episode_id, request);
      shows.set(beacon.show_id, episodes);
    }
    await write(cloudfront, cf.join('\n') + (cf.length ? '\n' : ''));
    await write(combined, cb.join('\n') + (cb.length ? '\n' : ''));
  }
  await Promise.all([cloudfront, combined].map((s) => new Promise((resolve) => s.end(resolve))));
  const feeds = [...shows].map(([show, episodes]) => {
    const path = join(dir, 'feeds', `${show}.xml`);
    writeFileSync(path, toShowFeed(show, [...episodes.values()].sort((a, b) => (a.episode_id < b.episode_id ? -1 : 1))));
    return path;
  });
  return { dir, feeds, cloudfront: cloudfrontPath, combined: combinedPath, requests };
}

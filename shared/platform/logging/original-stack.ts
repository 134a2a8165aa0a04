import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack frames of a bundled file moved to the TypeScript source its `.map` names. Node can do
 * this itself (`process.setSourceMapsEnabled`), but then it reads and parses the map of every
 * module as it loads, a fifth of a cold start; here a map is read only when a failure is logged.
 */
const maps = new Map<string, SourceMap | undefined>();

function mapOf(file: string): SourceMap | undefined {
  if (maps.has(file)) return maps.get(file);
  let map: SourceMap | undefined;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    map = undefined; // no map beside it (not a bundle): the frame stays as it is
  }
  maps.set(file, map);
  return map;
}

const frame = /(file:\/\/\/[^\s()]+?\.[cm]?js|\/[^\s():]+?\.[cm]?js):(\d+):(\d+)/g;

/** `stack` with every frame in a file that has a source map beside it in original coordinates. */
export function computeOriginalStack(stack: string): string {
  return stack.replace(frame, (whole, location: string, line: string, column: string) => {
    const file = location.startsWith('file://') ? fileURLToPath(location) : location;
    const entry = mapOf(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return whole;
    const source = fileURLToPath(new URL(entry.originalSource, pathToFileURL(file)));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

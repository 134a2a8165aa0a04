import { normaliseHost } from './normalise-url.ts';

/**
 * Measurement prefixes that redirect `https://<prefix>/<target>` to the target, as listed by
 * OP3's chain estimate: which hosts, and how many path segments before the target begins.
 */
interface Prefix {
  name: string;
  hosts: readonly string[];
  /** Segments of the prefix's own path, or undefined when this is not its form. */
  skip: (segments: readonly string[]) => number | undefined;
}

const fixed = (...words: string[]) => (s: readonly string[]) => (words.every((w, i) => s[i] === w) ? words.length : undefined);
const wordThenId = (word: string) => (s: readonly string[]) => (s[0] === word && s.length > 2 ? 2 : undefined);
const anyId = (s: readonly string[]) => (s.length > 1 ? 1 : undefined);

const prefixes: readonly Prefix[] = [
  // dts.podtrac.com/redirect.mp3/, www.podtrac.com/pts/redirect.mp3/, play.podtrac.com/<network>/
  { name: 'podtrac', hosts: ['dts.podtrac.com', 'www.podtrac.com', 'podtrac.com', 'play.podtrac.com'], skip: (s) => (s[0] === 'pts' ? (s.length > 2 ? 2 : undefined) : anyId(s)) },
  { name: 'chartable', hosts: ['chtbl.com', 'chrt.fm', 'podcast-rss-prefix.spotify.com'], skip: wordThenId('track') },
  { name: 'podsights', hosts: ['pdst.fm'], skip: fixed('e') },
  { name: 'spotify', hosts: ['prfx.byspotify.com'], skip: fixed('e') },
  // op3.dev/e/, op3.dev/e,pg=<guid>/, op3.dev/e/pg=<guid>/
  { name: 'op3', hosts: ['op3.dev', 'ci.op3.dev', 'staging.op3.dev'], skip: (s) => (s[0] === 'e' ? (s[1]?.startsWith('pg=') ? 2 : 1) : s[0]?.startsWith('e,') ? 1 : undefined) },
  { name: 'claritas', hosts: ['claritaspod.com', 'www.claritaspod.com'], skip: fixed('measure') },
  { name: 'claritas', hosts: ['clrtpod.com'], skip: fixed('m') },
  { name: 'podscribe', hosts: ['verifi.podscribe.com', 'pscrb.fm'], skip: fixed('rss', 'p') },
  { name: 'artsai', hosts: ['arttrk.com'], skip: wordThenId('p') },
  { name: 'podcorn', hosts: ['pdcn.co'], skip: fixed('e') },
  { name: 'gumball', hosts: ['2.gum.fm'], skip: () => 0 },
  { name: 'gumball', hosts: ['s.gum.fm'], skip: (s) => (s[0] === 'r1' ? 2 : s[0]?.startsWith('s-') ? 1 : undefined) },
  { name: 'blubrry', hosts: ['media.blubrry.com'], skip: (s) => (s[1] === 'p' ? 2 : anyId(s)) },
  { name: 'magellan', hosts: ['mgln.ai'], skip: (s) => (s[0] === 'track' ? 1 : s[0] === 'e' && s.length > 2 ? 2 : undefined) },
  { name: 'veritonic', hosts: ['pfx.veritonicmetrics.com'], skip: anyId },
  { name: 'vpixl', hosts: ['pfx.vpixl.com'], skip: anyId },
];

const byHost = new Map<string, Prefix[]>();
for (const p of prefixes) for (const h of p.hosts) byHost.set(h, [...(byHost.get(h) ?? []), p]);

/** Earshot's own prefix redirect, on any host it runs on: `/beacon/e/<host>/<path>`. */
const ownPrefix = ['beacon', 'e'];

/**
 * The URL a prefix passes the listener on to, without a scheme (`host/path...`), or undefined
 * when `hostAndPath` (no scheme) is not behind a known prefix. The target may carry its own
 * scheme, encoded or not (`https://`, `https%3A//`, `http:/`): it is dropped.
 */
export function tryUnwrapPrefix(hostAndPath: string): { prefix: string; target: string } | undefined {
  const slash = hostAndPath.indexOf('/');
  if (slash === -1) return undefined;
  const host = normaliseHost(hostAndPath.slice(0, slash));
  const segments = hostAndPath.slice(slash + 1).split('/');
  if (segments[0] === ownPrefix[0] && segments[1] === ownPrefix[1] && segments.length > 3) return { prefix: 'earshot', target: dropScheme(segments.slice(2).join('/')) };
  for (const p of byHost.get(host) ?? []) {
    const skip = p.skip(segments);
    if (skip === undefined || skip >= segments.length) continue;
    const target = dropScheme(segments.slice(skip).join('/'));
    if (target.includes('/')) return { prefix: p.name, target };
  }
  return undefined;
}

function dropScheme(target: string): string {
  const m = /^https?(:|%3A)\/\/?/i.exec(target);
  return m ? target.slice(m[0].length) : target;
}

/** Every layer unwrapped: the URL the audio is finally served from (no scheme). */
export function unwrapPrefixChain(hostAndPath: string): { target: string; prefixes: string[] } {
  const seen: string[] = [];
  let target = hostAndPath;
  // A chain is a handful of prefixes; the bound stops a URL built to loop.
  for (let i = 0; i < 16; i++) {
    const next = tryUnwrapPrefix(target);
    if (!next) break;
    seen.push(next.prefix);
    target = next.target;
  }
  return { target, prefixes: seen };
}

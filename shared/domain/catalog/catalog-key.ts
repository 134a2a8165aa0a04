import { normaliseUrlKey, normalisePath } from './normalise-url.ts';
import { unwrapPrefixChain } from './prefix-chains.ts';

/**
 * The key a URL is filed and looked up under: scheme and query dropped, every known prefix
 * unwrapped, then normalised. A feed's enclosure behind Podtrac and Chartable and the CDN's log
 * line for the file itself meet at the same key.
 */
export function computeCatalogKey(url: string): string {
  let rest = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const cut = rest.search(/[?#]/);
  if (cut !== -1) rest = rest.slice(0, cut);
  return normaliseUrlKey(unwrapPrefixChain(rest).target);
}

/** The path part of a catalog key, for log lines that name no host (combined). */
export function pathOfKey(key: string): string {
  const slash = key.indexOf('/');
  return slash === -1 ? '/' : key.slice(slash);
}

/** A logged request's key: its host and path; without a host, the path alone (normalised). */
export function computeRequestKey(host: string | undefined, path: string): { key: string; byPath: boolean } {
  if (host === undefined) {
    // A hostless path may still be a prefix chain (`/beacon/e/cdn.example/ep.mp3` on one's own server).
    const unwrapped = unwrapPrefixChain(`host.invalid${path.startsWith('/') ? '' : '/'}${path}`).target;
    if (!unwrapped.startsWith('host.invalid/')) return { key: computeCatalogKey(unwrapped), byPath: false };
    return { key: normalisePath(path), byPath: true };
  }
  return { key: computeCatalogKey(`${host}${path}`), byPath: false };
}

/**
 * The catalog's key for a URL: no scheme, no query or fragment, the host in lower case without a
 * default port, the path's percent-encoding made canonical (`%7e` and `~` are one key, `%2F`
 * stays distinct from `/`). Input may have a scheme or start with the host.
 */
export function normaliseUrlKey(url: string): string {
  let rest = url.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);
  const cut = rest.search(/[?#]/);
  if (cut !== -1) rest = rest.slice(0, cut);
  const slash = rest.indexOf('/');
  const host = normaliseHost(slash === -1 ? rest : rest.slice(0, slash));
  return host + normalisePath(slash === -1 ? '/' : rest.slice(slash));
}

export function normaliseHost(host: string): string {
  let h = host.toLowerCase();
  const at = h.lastIndexOf('@');
  if (at !== -1) h = h.slice(at + 1);
  if (h.endsWith(':80') || h.endsWith(':443')) h = h.slice(0, h.lastIndexOf(':'));
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** A path with every segment decoded and encoded again the one canonical way. */
export function normalisePath(path: string): string {
  const cut = path.search(/[?#]/);
  const bare = cut === -1 ? path : path.slice(0, cut);
  return bare
    .split('/')
    .map((segment) => {
      try {
        return encodeURIComponent(decodeURIComponent(segment));
      } catch {
        return segment;
      }
    })
    .join('/');
}

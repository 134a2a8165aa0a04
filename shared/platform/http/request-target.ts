import { jsonError } from './responses.ts';
import type { HttpResponse } from './types.ts';

/**
 * The URL of an HTTP request target (`/beacon/p?x=1`), always read as a path. Resolving it against
 * a base instead would take `//host/x` for another host and throw on `//`; a target that is not
 * a path at all (`*`, `http://...`) gives undefined.
 */
export function tryParseRequestTarget(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  try {
    return new URL(`http://request${target}`);
  } catch {
    return undefined;
  }
}

/** The answer to a request whose target `tryParseRequestTarget` refused. */
export const badRequestTarget = (): HttpResponse => jsonError(400, 'bad request target', [{ path: 'url', message: 'must be a path such as /beacon/p' }]);

import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { admitBody, refuseBody, smallBodyBytes } from '../../shared/platform/http/admission.ts';
import { json, jsonError, methodNotAllowed, notFound } from '../../shared/platform/http/responses.ts';
import type { HttpHandler, RequestHead } from '../../shared/platform/http/types.ts';

export interface AdminDeps {
  /** Resolves once every published message is processed. */
  drain(): Promise<void>;
  query(sql: string, headers: IncomingHttpHeaders): Promise<unknown>;
}

/** Largest SQL text `/_local/query` takes. */
const maxQueryBytes = 1024 * 1024;
/** How long a query lets queued messages land before it runs, at most (and by default). */
const maxSettleMs = 2000;

/** `?settle_ms=` of `/_local/query`: 0 reads what is committed now (the freshness benchmark); absent or out of range, the most. */
export function computeSettleMs(query: URLSearchParams): number {
  const given = Number(query.get('settle_ms') ?? maxSettleMs);
  return Number.isInteger(given) && given >= 0 && given <= maxSettleMs ? given : maxSettleMs;
}

/**
 * `/_local/...` of `earshot start`, for the `earshot` commands on this machine: `POST /query`
 * (`earshot query`) and `POST /drain` (`earshot simulate`), with the token the server writes to
 * `server.json` (mode 0600).
 */
export function createAdminRoutes(deps: AdminDeps): { token: string; handler: HttpHandler } {
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const isLocalUser = (head: RequestHead) => {
    const given = Buffer.from(String(head.headers.authorization ?? ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const unauthorized = () => jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer <token of server.json>' }]);

  const refusal = (head: RequestHead) => {
    if (head.path !== '/query' && head.path !== '/drain') return notFound(head.path);
    if (head.method !== 'POST') return methodNotAllowed(head.method, 'POST');
    return isLocalUser(head) ? undefined : unauthorized();
  };

  const handler: HttpHandler = async (request) => {
    const refused = refusal(request);
    if (refused) return refused;
    if (request.path === '/drain') {
      // `earshot simulate` sends conversions only once the exposures they may be attributed to
      // are recorded, so its numbers are reproducible.
      await deps.drain();
      return { status: 204 };
    }
    // Read-your-writes for a local user: let queued messages land first, but never wait long.
    const settleMs = computeSettleMs(request.query);
    if (settleMs > 0) await Promise.race([deps.drain(), new Promise((r) => setTimeout(r, settleMs).unref())]);
    try {
      return json(200, await deps.query(request.body.toString('utf8'), request.headers));
    } catch (err) {
      return jsonError(400, 'query failed', [{ path: 'sql', message: (err as Error).message }]);
    }
  };
  handler.admit = (head) => {
    const refused = refusal(head);
    return refused ? refuseBody(refused) : admitBody(head.path === '/query' ? maxQueryBytes : smallBodyBytes);
  };
  return { token, handler };
}

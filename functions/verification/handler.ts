import { publishFacts } from '../../shared/application/publish-facts.ts';
import { toVerificationEventRows } from '../../shared/domain/facts/verification-event-row.ts';
import { admitBody, refuseBody } from '../../shared/platform/http/admission.ts';
import { decodeBodyBytes } from '../../shared/platform/http/decode-body.ts';
import { tryParseJsonBody } from '../../shared/platform/http/parse-json-body.ts';
import { healthy, jsonError, methodNotAllowed, notFound } from '../../shared/platform/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse, RequestHead } from '../../shared/platform/http/types.ts';
import { computeTimeWindow } from '../../shared/domain/intake/time-bounds.ts';
import { tryParseTraceId } from '../../shared/platform/logging/logger.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';
import type { FieldError } from '../../shared/contracts/schemas/validator.ts';
import { computeVendorDirectory, type VerificationVendor } from '../../shared/domain/verification/vendor-directory.ts';
import { computeWebhookDocId } from '../../shared/domain/verification/webhook-doc-id.ts';
import { computeRefusalStatus, describeWebhookRefusal, tryVerifyWebhook } from '../../shared/domain/webhooks/verify-webhook.ts';

type VerificationDeps = Pick<Runtime, 'config' | 'bus' | 'state' | 'clock' | 'log'>;

/** Larger callback bodies get 413 (README.md, Vendor callbacks). */
export const maxCallbackBytes = 1024 * 1024;

/** State collection of the webhook ids already stored (Firestore TTL policy on `expires_at`). */
export const webhookCollection = 'webhooks';

/**
 * How long a stored webhook id is remembered. It must outlast the signature tolerance (a replayed
 * request is then refused by its timestamp), and it covers vendors' retry schedules (Standard
 * Webhooks' reference schedule ends about 28 h after the first attempt). A repeat after that is
 * still harmless: rows are keyed by vendor and impression.
 */
export const webhookMemoryMs = 72 * 3600 * 1000;

/** What the state store keeps of a stored webhook, for an operator reading it. */
export interface StoredWebhook {
  vendor: string;
  webhook_id: string;
  received_at: string;
  events: number;
}

const noContent: HttpResponse = { status: 204 };

/** The vendor of `/<vendor>`, percent-decoded; undefined for any other path. */
function tryParseVendorPath(path: string): string | undefined {
  const match = /^\/([^/]+)\/?$/.exec(path);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/** Field errors in the vendor's body as `body/<pointer>`, like `headers/<name>` for headers. */
const inBody = (errors: readonly FieldError[]) => errors.map(({ path, message }) => ({ path: path === '/' ? 'body' : `body${path}`, message }));

/**
 * The `verification` function: measurement vendors' Standard Webhooks callbacks (README.md,
 * Vendor callbacks), verified on the raw body, mapped by the vendor's adapter and published once per webhook id
 * as `verification_events` facts.
 */
export function createVerificationHandler(deps: VerificationDeps): HttpHandler {
  const vendors = computeVendorDirectory(deps.config.vendors);

  async function postCallback(vendor: VerificationVendor, request: HttpRequest): Promise<HttpResponse> {
    const log = deps.log.withTrace(tryParseTraceId(request.headers));
    // Size before signature: a huge body is refused without hashing it.
    const body = decodeBodyBytes(request, maxCallbackBytes);
    if (!body.ok) return jsonError(body.status, 'bad body', [{ path: 'body', message: body.message }]);
    const now = deps.clock.now();
    const verified = tryVerifyWebhook(request.headers, body.bytes, vendor.keys, Math.floor(now.getTime() / 1000));
    if (!verified.ok) {
      log.warn('verification callback refused', { vendor: vendor.id, reason: verified.reason });
      const status = computeRefusalStatus(verified.reason);
      return jsonError(status, status === 400 ? 'conflicting signature headers' : 'invalid signature', [
        { path: `headers/${verified.header}`, message: describeWebhookRefusal(verified) },
      ]);
    }
    const parsed = tryParseJsonBody(body.bytes);
    if (!parsed.ok) return jsonError(400, 'malformed JSON', [{ path: 'body', message: parsed.message }]);
    const mapped = vendor.adapter.tryMapBody(parsed.value, computeTimeWindow(deps.config, now));
    if (!mapped.ok) return jsonError(400, 'invalid body', inBody(mapped.errors));

    const docId = computeWebhookDocId(vendor.id, verified.id);
    const [stored] = await deps.state.getMany<StoredWebhook>(webhookCollection, [docId]);
    if (stored) {
      log.info('verification callback repeated', { vendor: vendor.id, webhook_id: verified.id });
      return noContent;
    }
    const receivedAt = now.toISOString();
    // Publish first, mark second. Marking first would lose the events if the publish then failed:
    // the vendor's retry would find the mark and get 204 for facts never written. Publishing twice
    // is harmless instead (rows are keyed by vendor and impression), so a crash between the two
    // steps, or two deliveries racing past the read above, at worst publishes the same keys again.
    await publishFacts(deps.bus, 'verification_events', toVerificationEventRows({ vendor: vendor.id, webhookId: verified.id, receivedAt }, mapped.value));
    const mark: StoredWebhook = { vendor: vendor.id, webhook_id: verified.id, received_at: receivedAt, events: mapped.value.length };
    const first = await deps.state.createIfAbsent(webhookCollection, docId, mark, new Date(now.getTime() + webhookMemoryMs));
    log.info('verification callback', { vendor: vendor.id, webhook_id: verified.id, events: mapped.value.length, first });
    return noContent;
  }

  // Route, method and vendor decide before the body: an unknown vendor costs no body bytes.
  function route({ path, method }: RequestHead): { vendor: VerificationVendor } | { response: HttpResponse } {
    if (path === '/healthz') return { response: method === 'GET' ? healthy() : methodNotAllowed(method, 'GET') };
    const vendorId = tryParseVendorPath(path);
    if (vendorId === undefined) return { response: notFound(path) };
    if (method !== 'POST') return { response: methodNotAllowed(method, 'POST') };
    const vendor = vendors.get(vendorId);
    return vendor ? { vendor } : { response: jsonError(404, 'unknown vendor', [{ path: 'vendor', message: `no vendor ${JSON.stringify(vendorId)} is configured` }]) };
  }

  const handler: HttpHandler = async (request) => {
    const routed = route(request);
    return 'vendor' in routed ? postCallback(routed.vendor, request) : routed.response;
  };
  handler.admit = (head) => {
    const routed = route(head);
    return 'vendor' in routed ? admitBody(maxCallbackBytes) : refuseBody(routed.response);
  };
  return handler;
}

/**
 * The two spellings of the Standard Webhooks headers: the specification's `webhook-*`, and the
 * `svix-*` names that Svix and the senders built on it use (Svix's own verifier reads both). They
 * carry the same values, signed the same way.
 */
export const webhookHeaderSets = {
  webhook: { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' },
  svix: { id: 'svix-id', timestamp: 'svix-timestamp', signature: 'svix-signature' },
} as const;

export type WebhookHeaderSet = keyof typeof webhookHeaderSets;
type HeaderRole = keyof (typeof webhookHeaderSets)['webhook'];
export type WebhookHeader = (typeof webhookHeaderSets)[WebhookHeaderSet][HeaderRole];

/** Headers as node:http gives them: lower-case names, a value, a list, or nothing. */
export type WebhookRequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

const roles: readonly HeaderRole[] = ['id', 'timestamp', 'signature'];

/** The three headers of the set a request was read with; a value is undefined when absent or unusable. */
export interface WebhookHeaderValues {
  set: WebhookHeaderSet;
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type WebhookHeaderReading =
  | ({ ok: true } & WebhookHeaderValues)
  | { ok: false; conflicts: Array<{ header: WebhookHeader; other: WebhookHeader }> };

/** A header's one non-empty value; a list (the header sent twice) is as good as none. */
function headerText(headers: WebhookRequestHeaders, name: WebhookHeader): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The same header value: both absent, the same text, or the same list. */
const isSameValue = (a: string | string[] | undefined, b: string | string[] | undefined) => JSON.stringify(a) === JSON.stringify(b);

const isPresent = (headers: WebhookRequestHeaders, set: WebhookHeaderSet) => roles.some((role) => headers[webhookHeaderSets[set][role]] !== undefined);

/**
 * Which header set a request uses, and its values. One set per request: the `svix-*` set when only
 * its headers are there, else the `webhook-*` set (so a request with neither is told the
 * specification's names). A request carrying both is read only when they say the same (a relay
 * that copies one set to the other); otherwise it is a conflict, since which one was signed is
 * unknowable.
 */
export function tryReadWebhookHeaders(headers: WebhookRequestHeaders): WebhookHeaderReading {
  const svix = isPresent(headers, 'svix');
  if (svix && isPresent(headers, 'webhook')) {
    const conflicts = roles
      .filter((role) => !isSameValue(headers[webhookHeaderSets.svix[role]], headers[webhookHeaderSets.webhook[role]]))
      .map((role) => ({ header: webhookHeaderSets.svix[role], other: webhookHeaderSets.webhook[role] }));
    if (conflicts.length > 0) return { ok: false, conflicts };
  }
  const set: WebhookHeaderSet = svix && !isPresent(headers, 'webhook') ? 'svix' : 'webhook';
  const names = webhookHeaderSets[set];
  return { ok: true, set, id: headerText(headers, names.id), timestamp: headerText(headers, names.timestamp), signature: headerText(headers, names.signature) };
}

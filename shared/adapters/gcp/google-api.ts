import { setTimeout as sleep } from 'node:timers/promises';

/** A bearer token for a Google API call; `undefined` sends none (an emulator). */
export type TokenSource = () => Promise<string | undefined>;

/**
 * A Google API's refusal: the HTTP status, the canonical code of its error body (`ABORTED`...) and
 * the reasons of its `errors` list (BigQuery's `bytesBilledLimitExceeded`...).
 */
export class GoogleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reasons: readonly string[] = [],
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }
}

export interface GoogleApiOptions {
  /** `https://pubsub.googleapis.com`, or an emulator's `http://host:port`. */
  baseUrl: string;
  token: TokenSource;
  /** Attempts for a transient failure (network error, 429, 5xx), with exponential backoff. */
  attempts?: number;
  /** Per-request deadline. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const transientStatuses = new Set([408, 429, 500, 502, 503, 504]);

/** The base URL of an emulator named by a `*_EMULATOR_HOST` variable (`host:port` or a URL). */
export function toEmulatorUrl(host: string): string {
  return (host.includes('://') ? host : `http://${host}`).replace(/\/+$/, '');
}

interface ErrorBody {
  error?: { code?: number; status?: string; message?: string; errors?: Array<{ reason?: string }> };
}

async function toApiError(response: Response, path: string): Promise<GoogleApiError> {
  const text = await response.text();
  let body: ErrorBody | ErrorBody[] = {};
  try {
    body = JSON.parse(text) as ErrorBody | ErrorBody[];
  } catch {
    // Not Google's JSON envelope (a proxy's page): the status says enough.
  }
  const error = (Array.isArray(body) ? body[0] : body)?.error;
  const reasons = (error?.errors ?? []).flatMap((e) => (typeof e.reason === 'string' ? [e.reason] : []));
  return new GoogleApiError(
    response.status,
    error?.status ?? String(response.status),
    `${path}: ${response.status} ${error?.status ?? ''} ${(error?.message ?? text).slice(0, 300)}`.trim(),
    reasons,
  );
}

/**
 * JSON over HTTPS to a Google REST API: what the functions need of Pub/Sub, Firestore and
 * BigQuery is a handful of calls, and their SDKs' gRPC stacks take longer to import than a
 * cold start may take in all. Transient failures are retried here; every other refusal is thrown
 * as a `GoogleApiError` for the adapter to interpret.
 */
export class GoogleApi {
  readonly #options: Required<GoogleApiOptions>;

  constructor(options: GoogleApiOptions) {
    this.#options = { attempts: 4, timeoutMs: 60_000, fetch, ...options };
  }

  /** POSTs `body` as JSON to `path` and answers the JSON reply. */
  async post<T>(path: string, body: unknown): Promise<T> {
    const { attempts, baseUrl, timeoutMs, token } = this.#options;
    const payload = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      const bearer = await token();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let response: Response;
      try {
        response = await this.#options.fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        if (attempt >= attempts) throw err;
        await backoff(attempt);
        continue;
      }
      if (response.ok) return (await response.json()) as T;
      const error = await toApiError(response, path);
      if (!transientStatuses.has(response.status) || attempt >= attempts) throw error;
      await backoff(attempt);
    }
  }
}

/** 100 ms, 200 ms, 400 ms... with jitter, so retrying instances do not arrive together. */
function backoff(attempt: number): Promise<void> {
  return sleep(100 * 2 ** (attempt - 1) * (0.5 + Math.random()));
}

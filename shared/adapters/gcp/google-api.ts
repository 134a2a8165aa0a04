import { setTimeout as sleep } from 'node:timers/promises';
import { nodeJsonPost, type JsonPost, type PostAnswer } from './json-post.ts';

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
  post?: JsonPost;
}

const transientStatuses = new Set([408, 429, 500, 502, 503, 504]);

/** The base URL of an emulator named by a `*_EMULATOR_HOST` variable (`host:port` or a URL). */
export function toEmulatorUrl(host: string): string {
  return (host.includes('://') ? host : `http://${host}`).replace(/\/+$/, '');
}

interface ErrorBody {
  error?: { code?: number; status?: string; message?: string; errors?: Array<{ reason?: string }> };
}

function toApiError(response: PostAnswer, path: string): GoogleApiError {
  const { text } = response;
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
    this.#options = { attempts: 4, timeoutMs: 60_000, post: nodeJsonPost, ...options };
  }

  /** POSTs `body` as JSON to `path` and answers the JSON reply. */
  async post<T>(path: string, body: unknown): Promise<T> {
    const { attempts, baseUrl, timeoutMs, token } = this.#options;
    const payload = JSON.stringify(body);
    for (let attempt = 1; ; attempt++) {
      const bearer = await token();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      let response: PostAnswer;
      try {
        response = await this.#options.post(`${baseUrl}${path}`, headers, payload, timeoutMs);
      } catch (err) {
        if (attempt >= attempts) throw err;
        await backoff(attempt);
        continue;
      }
      if (response.status >= 200 && response.status < 300) return JSON.parse(response.text) as T;
      const error = toApiError(response, path);
      if (!transientStatuses.has(response.status) || attempt >= attempts) throw error;
      await backoff(attempt);
    }
  }
}

/** 100 ms, 200 ms, 400 ms... with jitter, so retrying instances do not arrive together. */
export function backoff(attempt: number): Promise<void> {
  return sleep(100 * 2 ** (attempt - 1) * (0.5 + Math.random()));
}

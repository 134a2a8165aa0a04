import { gzipSync } from 'node:zlib';

export interface SendResult {
  status: number;
  body: string;
}

/**
 * POSTs to the running system with retries: connection errors and 5xx/429 are retried with
 * backoff (the system is at-least-once, and every record has an id, so a retry never counts
 * twice); a 4xx is the simulator's own fault and stops the run.
 */
export async function postWithRetry(url: string, body: string, headers: Record<string, string>, gzip = false): Promise<SendResult> {
  const payload = gzip ? gzipSync(body) : Buffer.from(body);
  const allHeaders = gzip ? { ...headers, 'content-encoding': 'gzip' } : headers;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { method: 'POST', headers: allHeaders, body: payload });
      const text = await response.text();
      if (response.status < 500 && response.status !== 429) {
        if (response.status >= 400) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 300)}`);
        return { status: response.status, body: text };
      }
      if (attempt >= 6) throw new Error(`${url} kept answering ${response.status}`);
    } catch (err) {
      if ((err as Error).message.includes('answered') || attempt >= 6) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(lanes);
}

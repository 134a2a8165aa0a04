import type { FreshnessTarget } from '../freshness/freshness-driver.ts';
import type { CloudStack } from './cloud-stack.ts';

async function post(url: string, key: string, body: string): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body });
  const text = await response.text();
  if (response.status !== 202) throw new Error(`${url} answered ${response.status}: ${text}`);
}

/** The emulated cloud pipeline as a freshness target: a row is visible when its insertAll call reaches the BigQuery stand-in. */
export function cloudTarget(stack: CloudStack, pollMs: number): FreshnessTarget {
  const platformKey = stack.config.platforms[0]?.keys[0] ?? '';
  const advertiserKey = stack.config.advertisers[0]?.keys[0] ?? '';
  return {
    pollMs,
    sendBeacons: (ndjson) => post(`${stack.functions.beacon.url}/beacon/events`, platformKey, ndjson),
    sendConversions: (ndjson) => post(`${stack.functions.conversion.url}/conversion/events`, advertiserKey, ndjson),
    takeNewRows: async () => stack.bigquery.takeArrivals(),
  };
}

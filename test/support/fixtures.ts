import type { HttpRequest } from '../../shared/platform/http/types.ts';
import { createLogger, type Logger } from '../../shared/platform/logging/logger.ts';
import type { EventBus, ReportSource, Topic } from '../../shared/contracts/ports.ts';
import { duckDbDialect } from '../../shared/application/warehouse/dialect.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';

export const fixedNow = new Date('2026-11-20T12:00:00Z');
export const fixedClock = { now: () => new Date(fixedNow) };
export const quietLog: Logger = createLogger({ write: () => {} });

export const platformKey = 'pk_test_0123456789abcdef';

export const testConfig: EarshotConfig = {
  platforms: [{ id: 'p1', keys: [platformKey] }],
  vendors: [],
  advertisers: [],
  studies: [],
  analysts: [],
  counting: { window: 'calendar', keep_first_two_bytes: false },
  reporting: { discrepancy_threshold_pct: 5 },
  privacy: { master_key: 'm'.repeat(32) },
};

export const sampleRecord = {
  type: 'download',
  ts: '2026-11-20T10:00:00Z',
  show_id: 'show-1',
  episode_id: 'ep-1',
  ip: '203.0.113.9',
  user_agent: 'Overcast/3.0 (+http://overcast.fm/; iOS podcast app)',
} as const;

/** An EventBus that keeps what was published, decoded, per topic. */
export class RecordingBus implements EventBus {
  readonly messages: Array<{ topic: Topic; data: Buffer }> = [];
  async publish(topic: Topic, messages: readonly Buffer[]): Promise<void> {
    for (const data of messages) this.messages.push({ topic, data });
  }
  payloads<T>(topic: Topic): T[] {
    return this.messages.filter((m) => m.topic === topic).map((m) => JSON.parse(m.data.toString('utf8')) as T);
  }
}

export function httpRequest(overrides: Partial<HttpRequest> & { json?: unknown }): HttpRequest {
  const { json, ...rest } = overrides;
  return {
    method: 'POST',
    path: '/events',
    query: new URLSearchParams(),
    headers: { authorization: `Bearer ${platformKey}` },
    body: json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json)),
    clientIp: '127.0.0.1',
    ...rest,
  };
}

/** A report source for runtimes whose tests read no reports: any query fails the test. */
export const unusedReports: ReportSource = {
  dialect: duckDbDialect,
  run: () => Promise.reject(new Error('this test reads no reports')),
};

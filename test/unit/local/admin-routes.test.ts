import { describe, expect, it } from 'vitest';
import { computeSettleMs, createAdminRoutes } from '../../../cli/local/admin-routes.ts';
import type { HttpRequest } from '../../../shared/platform/http/types.ts';

describe('/_local/query settle_ms', () => {
  it.each([
    { query: '', expected: 2000 },
    { query: 'settle_ms=0', expected: 0 },
    { query: 'settle_ms=250', expected: 250 },
    { query: 'settle_ms=2000', expected: 2000 },
    { query: 'settle_ms=2001', expected: 2000 },
    { query: 'settle_ms=-1', expected: 2000 },
    { query: 'settle_ms=1.5', expected: 2000 },
    { query: 'settle_ms=abc', expected: 2000 },
  ])('?$query lets queued messages land for $expected ms at most', ({ query, expected }) => {
    expect(computeSettleMs(new URLSearchParams(query))).toBe(expected);
  });

  const request = (token: string, query: string): HttpRequest => ({
    method: 'POST',
    path: '/query',
    query: new URLSearchParams(query),
    headers: { authorization: `Bearer ${token}` },
    body: Buffer.from('SELECT 1'),
    clientIp: '127.0.0.1',
  });

  it('with settle_ms=0 answers without waiting for a queue that never drains', async () => {
    const admin = createAdminRoutes({ drain: () => new Promise<void>(() => {}), query: async (sql) => ({ sql }) });
    const started = Date.now();
    const response = await admin.handler(request(admin.token, 'settle_ms=0'));
    expect(response.status).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({ sql: 'SELECT 1' });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('by default waits for the queue to drain before querying', async () => {
    const order: string[] = [];
    const admin = createAdminRoutes({ drain: async () => void order.push('drain'), query: async () => (order.push('query'), {}) });
    expect((await admin.handler(request(admin.token, ''))).status).toBe(200);
    expect(order).toEqual(['drain', 'query']);
  });
});

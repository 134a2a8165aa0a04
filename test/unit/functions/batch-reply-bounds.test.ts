import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../functions/beacon/handler.ts';
import { createConversionHandler } from '../../../functions/conversion/handler.ts';
import type { HttpHandler, HttpRequest } from '../../../shared/platform/http/types.ts';
import { maxRecordsPerBatch } from '../../../shared/domain/intake/parse-records.ts';
import { maxErrorsListed, maxRejectedListed } from '../../../shared/domain/intake/rejection-tally.ts';
import { RecordingBus, fixedClock, httpRequest, platformKey, quietLog, sampleRecord, testConfig } from '../../support/fixtures.ts';

const advertiserKey = 'ak_test_advertiser_0123456789';
const config = { ...testConfig, advertisers: [{ id: 'adv', keys: [advertiserKey], lookback_days: 30, model: 'last_touch' as const }] };
const conversion = { event: 'purchase', ts: '2026-11-20T11:00:00Z', ip: '203.0.113.9', user_agent: 'Mozilla/5.0', order_id: 'o-1' };

interface Endpoint {
  handler: () => HttpHandler;
  key: string;
  valid: object;
}
const endpoints: Record<string, Endpoint> = {
  'POST /beacon/events': { handler: () => createBeaconHandler({ config, bus: new RecordingBus(), state: new MemoryStateStore(), clock: fixedClock, log: quietLog }), key: platformKey, valid: sampleRecord },
  'POST /conversion/events': { handler: () => createConversionHandler({ config, bus: new RecordingBus(), clock: fixedClock, log: quietLog }), key: advertiserKey, valid: conversion },
};

interface BatchReply {
  accepted: number;
  rejected: Array<{ index: number; errors: unknown[] }>;
  rejected_count: number;
  rejected_by_rule: Record<string, number>;
}

async function timed(handler: HttpHandler, request: HttpRequest) {
  const started = performance.now();
  const rssBefore = process.memoryUsage().rss;
  const response = await handler(request);
  return { response, ms: performance.now() - started, rssGrowth: process.memoryUsage().rss - rssBefore, text: String(response.body) };
}

const emptyLines = (bytes: number) => Buffer.from('{}\n'.repeat(Math.floor(bytes / 3)));

describe.each(Object.entries(endpoints))('%s stays bounded', (_name, { handler: create, key, valid }) => {
  const post = (body: Buffer, headers: Record<string, string> = {}) => httpRequest({ body, headers: { authorization: `Bearer ${key}`, ...headers } });

  it('answers the most records it takes, all invalid, in well under a second with a reply far smaller than the request', async () => {
    const body = Buffer.from('{}\n'.repeat(maxRecordsPerBatch));
    const { response, ms, text } = await timed(create(), post(body));
    expect(response.status).toBe(202);
    const reply = JSON.parse(text) as BatchReply;
    expect(reply.accepted).toBe(0);
    expect(reply.rejected_count).toBe(maxRecordsPerBatch);
    expect(reply.rejected_by_rule).toEqual({ required: maxRecordsPerBatch });
    expect(reply.rejected.map((r) => r.index)).toEqual([...Array(maxRejectedListed).keys()]);
    expect(text.length).toBeLessThan(body.length / 4);
    expect(ms).toBeLessThan(1500);
  });

  it('refuses 10 KB of gzip that inflates to 10 MiB of {} lines with 413, quickly and without the memory', async () => {
    const bomb = gzipSync(emptyLines(10 * 1024 * 1024 - 3));
    expect(bomb.length).toBeLessThan(20_000);
    const { response, ms, rssGrowth, text } = await timed(create(), post(bomb, { 'content-encoding': 'gzip' }));
    expect(response.status).toBe(413);
    expect(JSON.parse(text)).toEqual({ error: 'too many records', details: [{ path: 'body', message: expect.stringContaining(`${maxRecordsPerBatch}`) }] });
    expect(ms).toBeLessThan(1000);
    expect(rssGrowth).toBeLessThan(256 * 1024 * 1024);
  });

  it('refuses a JSON array of too many records before parsing it', async () => {
    const body = Buffer.from(`[${'{},'.repeat(maxRecordsPerBatch)}{}]`);
    const { response, ms } = await timed(create(), post(body));
    expect(response.status).toBe(413);
    expect(ms).toBeLessThan(500);
  });

  it('lists at most a few errors of a record with thousands, and counts it once per rule', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x${i}`, i]));
    const { response, text } = await timed(create(), post(Buffer.from(JSON.stringify([{ ...valid, ...unknown }, valid]))));
    expect(response.status).toBe(202);
    const reply = JSON.parse(text) as BatchReply;
    expect(reply).toMatchObject({ accepted: 1, rejected_count: 1, rejected_by_rule: { additionalProperties: 1 } });
    expect(reply.rejected[0]?.errors).toHaveLength(maxErrorsListed);
  });

  it('answers 20 KB of gzip naming one 100 KB unknown field in 100 records with a reply of constant size', async () => {
    const record = JSON.stringify({ ...valid, [`f${'x'.repeat(100_000)}`]: 1 });
    const body = gzipSync(Array.from({ length: 100 }, () => record).join('\n'));
    expect(body.length).toBeLessThan(30_000);
    const { response, text } = await timed(create(), post(body, { 'content-encoding': 'gzip' }));
    expect(response.status).toBe(202);
    expect(JSON.parse(text)).toMatchObject({ rejected_count: 100 });
    expect(text.length).toBeLessThan(50_000);
  });

  it('keeps the first 100 rejected records with their index among valid ones', async () => {
    const records = Array.from({ length: 300 }, (_, i) => (i % 2 ? { ...valid, ts: 'soon' } : valid));
    const reply = JSON.parse(String((await create()(post(Buffer.from(JSON.stringify(records))))).body)) as BatchReply;
    expect(reply).toMatchObject({ accepted: 150, rejected_count: 150, rejected_by_rule: { format: 150 } });
    expect(reply.rejected).toHaveLength(maxRejectedListed);
    expect(reply.rejected.at(-1)?.index).toBe(199);
  });
});

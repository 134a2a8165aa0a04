import { describe, expect, it } from 'vitest';
import { createBeaconHandler } from '../../../../functions/beacon/handler.ts';
import { MemoryStateStore } from '../../../../shared/adapters/local/memory-state.ts';
import type { BeaconBatch } from '../../../../shared/contracts/schemas/beacon-message.ts';
import { RecordingBus, fixedClock, httpRequest, quietLog, testConfig } from '../../../support/fixtures.ts';

function setup() {
  const bus = new RecordingBus();
  return { bus, handler: createBeaconHandler({ config: testConfig, bus, clock: fixedClock, log: quietLog, state: new MemoryStateStore(Date.now) }) };
}

const pixel = (query: string, path = '/p') =>
  httpRequest({ method: 'GET', path, query: new URLSearchParams(query), headers: { 'user-agent': 'Overcast/3.0' }, clientIp: '198.51.100.7' });

describe('beacon pixels', () => {
  it('answers 204 and publishes an impression in a batch, without the IP', async () => {
    const { bus, handler } = setup();
    const responses = await Promise.all([handler(pixel('platform=p1&show=s1&episode=e1')), handler(pixel('platform=p1&show=s1&episode=e2&cb=123'))]);
    expect(responses.map((r) => r.status)).toEqual([204, 204]);
    const batches = bus.payloads<BeaconBatch>('beacons');
    expect(batches).toHaveLength(1);
    expect(batches[0]?.records.map((r) => [r.type, r.episode_id, r.user_agent])).toEqual([
      ['impression', 'e1', 'Overcast/3.0'],
      ['impression', 'e2', 'Overcast/3.0'],
    ]);
    expect(bus.messages[0]?.data.toString()).not.toContain('198.51.100.7');
  });

  it('serves a 1x1 GIF at /p.gif and records VAST playback events', async () => {
    const { bus, handler } = setup();
    const response = await handler(pixel('platform=p1&show=s&episode=e&event=firstQuartile&ad=a1&campaign=c1', '/p.gif'));
    expect(response).toMatchObject({ status: 200, headers: { 'content-type': 'image/gif' } });
    expect((response.body as Buffer).subarray(0, 6).toString()).toBe('GIF89a');
    expect(bus.payloads<BeaconBatch>('beacons')[0]?.records[0]).toMatchObject({ type: 'playback', playback: { event: 'firstQuartile', ad_id: 'a1', campaign_id: 'c1' } });
  });

  it('makes each request without an id or time an event of its own, and dedupes a retried pixel that names its time', async () => {
    const { bus, handler } = setup();
    // The same listener, app and episode within one millisecond (the clock is fixed): two events.
    await Promise.all([handler(pixel('platform=p1&show=s&episode=e')), handler(pixel('platform=p1&show=s&episode=e'))]);
    // A client retry of a pixel with its own `ts`: the same content, so the same id.
    await Promise.all([handler(pixel('platform=p1&show=s&episode=e&ts=2026-11-20T10:00:00Z')), handler(pixel('platform=p1&show=s&episode=e&ts=2026-11-20T10:00:00Z'))]);
    const ids = bus.payloads<BeaconBatch>('beacons').flatMap((b) => b.records.map((r) => r.event_id));
    expect(ids).toHaveLength(4);
    expect(new Set(ids.slice(0, 2)).size).toBe(2);
    expect(ids[2]).toBe(ids[3]);
    expect(ids[2]).toMatch(/^h_/);
  });

  const refusals: Array<[string, string, string]> = [
    ['an unknown platform', 'platform=nope&show=s&episode=e', 'query/platform'],
    ['a missing episode', 'platform=p1&show=s', '/episode_id'],
    ['an unknown parameter', 'platform=p1&show=s&episode=e&colour=red', 'query/colour'],
    ['an unknown playback event', 'platform=p1&show=s&episode=e&event=pause', '/playback/event'],
  ];
  for (const [name, query, path] of refusals) {
    it(`answers 400 to ${name}, naming ${path}`, async () => {
      const { bus, handler } = setup();
      const response = await handler(pixel(query));
      expect(response.status).toBe(400);
      expect(JSON.parse(String(response.body))).toMatchObject({ details: expect.arrayContaining([expect.objectContaining({ path })]) });
      expect(bus.messages).toHaveLength(0);
    });
  }
});

describe('beacon prefix redirect', () => {
  it('redirects to https://host/path with the query kept, after publishing the download', async () => {
    const { bus, handler } = setup();
    const response = await handler(
      httpRequest({ method: 'GET', path: '/e/media.example.com/shows/ep 1.mp3'.replace(' ', '%20'), query: new URLSearchParams('x=1'), headers: { 'user-agent': 'AppleCoreMedia/1.0', range: 'bytes=0-' }, clientIp: '198.51.100.7' }),
    );
    expect(response).toEqual({ status: 302, headers: { location: 'https://media.example.com/shows/ep%201.mp3?x=1', 'cache-control': 'private, no-cache' } });
    // Published before the 302, with no close(): the cloud throttles the CPU after the response.
    expect(bus.payloads<BeaconBatch>('beacons')[0]?.records[0]).toMatchObject({ type: 'download', platform: 'redirect', show_id: 'media.example.com', episode_id: '/shows/ep%201.mp3', range: 'bytes=0-' });
  });

  it('still redirects when the bus is down', async () => {
    const handler = createBeaconHandler({
      config: testConfig,
      bus: { publish: () => Promise.reject(new Error('pubsub down')) },
      clock: fixedClock,
      log: quietLog,
      state: new MemoryStateStore(Date.now),
    });
    const response = await handler(httpRequest({ method: 'GET', path: '/e/cdn.example.org/a.mp3', headers: { 'user-agent': 'x' }, clientIp: '198.51.100.7' }));
    expect(response.status).toBe(302);
    await expect(handler.close?.()).resolves.toBeUndefined();
  });

  it('waits for the publish only so long: a hanging backend still gets the listener a 302', async () => {
    let publishes = 0;
    const handler = createBeaconHandler(
      { config: testConfig, bus: { publish: () => (publishes++, new Promise<void>(() => {})) }, state: new MemoryStateStore(), clock: fixedClock, log: quietLog },
      { redirectPublishWaitMs: 60 },
    );
    const started = performance.now();
    const response = await handler(httpRequest({ method: 'GET', path: '/e/cdn.example.org/a.mp3', headers: { 'user-agent': 'x' }, clientIp: '198.51.100.7' }));
    const waited = performance.now() - started;
    expect(response.status).toBe(302);
    expect(publishes).toBe(1);
    expect(waited).toBeGreaterThanOrEqual(55);
    expect(waited).toBeLessThan(1000);
  });

  for (const path of ['/e/', '/e/not a host/x', '/e/-bad-.com/x', '/e/localhost/x']) {
    it(`refuses ${path} with 400`, async () => expect((await setup().handler(httpRequest({ method: 'GET', path }))).status).toBe(400));
  }
});

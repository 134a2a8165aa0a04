import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GoogleApi, GoogleApiError, toEmulatorUrl } from '../../../shared/adapters/gcp/google-api.ts';

// A loopback server answering each request with the next scripted status and body.
let server: Server;
let base: string;
let script: Array<{ status: number; body: unknown }>;
const seen: Array<{ url: string; authorization: string | undefined; body: string }> = [];

const read = async (req: IncomingMessage) => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
};

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((body) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
      const next = script.shift() ?? { status: 200, body: {} };
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script = [];
  seen.length = 0;
});

const googleError = (code: number, status: string, message: string) => ({ error: { code, status, message } });

describe('GoogleApi', () => {
  it('posts JSON with the bearer token and answers the parsed body', async () => {
    script = [{ status: 200, body: { messageIds: ['1'] } }];
    const api = new GoogleApi({ baseUrl: base, token: async () => 'tok' });
    expect(await api.post('/v1/projects/p/topics/t:publish', { messages: [] })).toEqual({ messageIds: ['1'] });
    expect(seen).toEqual([{ url: '/v1/projects/p/topics/t:publish', authorization: 'Bearer tok', body: '{"messages":[]}' }]);
  });

  it('sends no authorization when the token source has none (an emulator)', async () => {
    await new GoogleApi({ baseUrl: base, token: async () => undefined }).post('/x', {});
    expect(seen[0]?.authorization).toBeUndefined();
  });

  it('retries transient statuses with backoff, then answers', async () => {
    script = [{ status: 503, body: googleError(503, 'UNAVAILABLE', 'try again') }, { status: 429, body: {} }, { status: 200, body: { ok: true } }];
    expect(await new GoogleApi({ baseUrl: base, token: async () => undefined }).post('/x', {})).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it('gives up after its attempts on a lasting outage', async () => {
    script = Array.from({ length: 5 }, () => ({ status: 503, body: googleError(503, 'UNAVAILABLE', 'down') }));
    const error = await new GoogleApi({ baseUrl: base, token: async () => undefined, attempts: 3 }).post('/x', {}).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect(error).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    expect(seen).toHaveLength(3);
  });

  const refusals: Array<[string, number, unknown, string]> = [
    ['an aborted transaction', 409, googleError(409, 'ABORTED', 'Transaction lock timeout.'), 'ABORTED'],
    ['a document that exists', 409, [googleError(409, 'ALREADY_EXISTS', 'Document already exists')], 'ALREADY_EXISTS'],
    ['a missing topic', 404, googleError(404, 'NOT_FOUND', 'Topic not found'), 'NOT_FOUND'],
    ['a body that is not Google JSON', 403, 'forbidden', '403'],
  ];
  for (const [name, status, body, code] of refusals) {
    it(`throws ${name} at once, with its canonical code`, async () => {
      script = [{ status, body }];
      const error = await new GoogleApi({ baseUrl: base, token: async () => undefined }).post('/x', {}).catch((err: unknown) => err);
      expect(error).toMatchObject({ status, code });
      expect(seen).toHaveLength(1);
    });
  }

  it("keeps the reasons of the error body's errors list (BigQuery's bytesBilledLimitExceeded)", async () => {
    const body = { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'too many bytes', errors: [{ reason: 'bytesBilledLimitExceeded', message: 'x' }, { message: 'no reason' }] } };
    script = [{ status: 400, body }];
    const error = await new GoogleApi({ baseUrl: base, token: async () => undefined }).post('/x', {}).catch((err: unknown) => err);
    expect(error).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', reasons: ['bytesBilledLimitExceeded'] });
  });

  it('gives up on a server that does not answer within the deadline', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const api = new GoogleApi({ baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, token: async () => undefined, attempts: 1, timeoutMs: 100 });
      const started = Date.now();
      await expect(api.post('/x', {})).rejects.toMatchObject({ name: expect.stringMatching(/Abort|Timeout/) });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('sends the body with its length in bytes (non-ASCII included)', async () => {
    await new GoogleApi({ baseUrl: base, token: async () => undefined }).post('/x', { name: 'Müller ☕' });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ name: 'Müller ☕' });
  });

  it('reads an emulator host as a base URL', () => {
    expect(toEmulatorUrl('127.0.0.1:8085')).toBe('http://127.0.0.1:8085');
    expect(toEmulatorUrl('http://localhost:9000/')).toBe('http://localhost:9000');
  });
});

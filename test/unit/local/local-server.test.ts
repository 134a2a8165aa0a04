import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServer } from '../../../cli/local/local-server.ts';
import { admitBody, refuseBody } from '../../../shared/platform/http/admission.ts';
import { json, jsonError } from '../../../shared/platform/http/responses.ts';
import type { HttpHandler } from '../../../shared/platform/http/types.ts';
import { createLogger } from '../../../shared/platform/logging/logger.ts';

// A handler that answers the size of the body it got, behind an admission that wants a key and
// allows 1 KiB: it counts the bodies it was ever handed.
let bodiesRead = 0;
const echo: HttpHandler = async (request) => {
  bodiesRead++;
  return json(200, { bytes: request.body.length });
};
echo.admit = (head) => (head.headers.authorization === 'Bearer k' ? admitBody(1024) : refuseBody(jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer k' }])));

describe('the local server', () => {
  // A handler without `admit` gets the limit of a route without a body.
  const plain: HttpHandler = async (request) => json(200, { bytes: request.body.length });
  const server = createLocalServer(new Map([['echo', echo], ['plain', plain]]), createLogger({ write: () => {} }), 600);
  let base = '';
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()));

  it.each([
    { name: 'an unknown function', path: '/nope/x', auth: 'Bearer k', body: 10, status: 404 },
    { name: 'a wrong key', path: '/echo/x', auth: 'Bearer wrong', body: 5_000_000, status: 401 },
    { name: 'a body over the route limit', path: '/echo/x', auth: 'Bearer k', body: 1025, status: 413 },
    { name: 'a body at the limit', path: '/echo/x', auth: 'Bearer k', body: 1024, status: 200 },
    { name: 'a large body to a handler that admits nothing', path: '/plain/x', auth: '', body: 65 * 1024, status: 413 },
  ])('answers $name with $status, handing the handler only admitted bodies', async ({ path, auth, body, status }) => {
    const before = bodiesRead;
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: auth }, body: Buffer.alloc(body, 120) });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { error?: string; details?: unknown[]; bytes?: number };
    if (status === 200) expect(answer.bytes).toBe(body);
    else expect(answer).toMatchObject({ error: expect.any(String), details: [expect.objectContaining({ path: expect.any(String) })] });
    expect(bodiesRead - before).toBe(status === 200 && path.startsWith('/echo') ? 1 : 0);
  });

  const exchange = (head: string) =>
    new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(head));
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString();
        // Once the client has its answer to Expect (100, or a final status), it is done.
        if (/HTTP\/1\.1 (?!100)\d{3}[^]*\r\n\r\n/.test(text) || /^HTTP\/1\.1 100/.test(text)) socket.destroy();
      });
      socket.on('close', () => resolve(text));
    });

  it.each([
    { auth: 'Bearer wrong', first: /^HTTP\/1\.1 401/ },
    { auth: 'Bearer k', first: /^HTTP\/1\.1 100 Continue/ },
  ])('answers Expect: 100-continue only once admitted ($auth)', async ({ auth, first }) => {
    const answer = await exchange(`POST /echo/x HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n`);
    expect(answer).toMatch(first);
    expect(answer).not.toMatch(auth === 'Bearer wrong' ? /100 Continue/ : /401/);
  });

  it('answers 408 to a request whose body never finishes, within its time limit', async () => {
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('POST /echo/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: 100\r\n\r\n0123456789'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

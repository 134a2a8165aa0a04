import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonEndpoint, type JsonEndpoint } from '../../../shared/adapters/gcp/json-endpoint.ts';

/** A loopback server; `answer` gets each request's path, body and how many requests its connection carried before. */
async function startServer(answer: (req: { path: string; body: string; onConnection: number }, res: ServerResponse, socket: Socket) => void) {
  const connections: Socket[] = [];
  const served = new WeakMap<Socket, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const socket = req.socket;
      const onConnection = served.get(socket) ?? 0;
      served.set(socket, onConnection + 1);
      answer({ path: req.url ?? '', body, onConnection }, res, socket);
    });
  });
  server.on('connection', (socket: Socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, connections, close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()) };
}

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});
function track(endpoint: JsonEndpoint, server: { close: () => Promise<void> }): JsonEndpoint {
  cleanup.push(() => server.close(), () => endpoint.close());
  return endpoint;
}

describe('createJsonEndpoint', () => {
  it('posts to the base URL path with the headers given, and answers status and text', async () => {
    const server = await startServer((req, res) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(req)));
    const endpoint = track(createJsonEndpoint(`${server.url}/bigquery/v2/`), server);
    const reply = await endpoint.post('/projects/p/x', { 'content-type': 'application/json' }, '{"é":1}', 5000);
    expect(reply.status).toBe(201);
    expect(JSON.parse(reply.text)).toEqual({ path: '/bigquery/v2/projects/p/x', body: '{"é":1}', onConnection: 0 });
  });

  it('keeps one connection open for calls one after another', async () => {
    const server = await startServer((req, res) => res.end('{}'));
    const endpoint = track(createJsonEndpoint(server.url), server);
    for (let i = 0; i < 5; i++) await endpoint.post('/x', {}, '{}', 5000);
    expect(server.connections).toHaveLength(1);
  });

  it('sends a call again, once, on a new connection when the kept one was closed under it', async () => {
    // The server drops every connection's second request unanswered, as a server closing an idle connection does.
    const server = await startServer((req, res, socket) => (req.onConnection === 0 ? res.end('{"n":1}') : socket.destroy()));
    const endpoint = track(createJsonEndpoint(server.url), server);
    await endpoint.post('/x', {}, '{}', 5000);
    expect((await endpoint.post('/x', {}, '{}', 5000)).text).toBe('{"n":1}');
    expect(server.connections).toHaveLength(2);
  });

  it('fails a call on a new connection that the server drops, without sending it again', async () => {
    let requests = 0;
    const server = await startServer((_req, _res, socket) => (requests++, socket.destroy()));
    const endpoint = track(createJsonEndpoint(server.url), server);
    await expect(endpoint.post('/x', {}, '{}', 5000)).rejects.toThrow();
    expect(requests).toBe(1);
  });

  it('gives up on a call not answered within its deadline', async () => {
    const server = await startServer(() => {});
    const endpoint = track(createJsonEndpoint(server.url), server);
    const started = performance.now();
    await expect(endpoint.post('/slow', {}, '{}', 100)).rejects.toThrow('/slow: no answer within 100 ms');
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for Cloud Storage's JSON API object download
 * (`GET /storage/v1/b/<bucket>/o/<object>?alt=media`), for `STORAGE_EMULATOR_HOST`.
 */
export class FakeStorageServer {
  readonly #server: Server;
  readonly #objects: ReadonlyMap<string, Buffer>;
  #url = '';

  private constructor(objects: ReadonlyMap<string, Buffer>) {
    this.#objects = objects;
    this.#server = createServer((req, res) => {
      const match = /^\/storage\/v1\/b\/([^/]+)\/o\/([^?]+)\?alt=media$/.exec(req.url ?? '');
      const body = match ? this.#objects.get(`${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}`) : undefined;
      if (!body) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
  }

  /** Serves `objects` (keyed `<bucket>/<name>`) on 127.0.0.1 and an ephemeral port. */
  static async start(objects: ReadonlyMap<string, Buffer>): Promise<FakeStorageServer> {
    const fake = new FakeStorageServer(objects);
    await new Promise<void>((resolve) => fake.#server.listen(0, '127.0.0.1', resolve));
    fake.#url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The column that names a probe's row in each table watched. */
const keyColumn: Record<string, string> = { beacon_events: 'insert_id', attributed_conversions: 'conversion_id' };

/**
 * Stands in for BigQuery's `tabledata.insertAll` (which has no emulator): accepts every row and
 * stamps, per watched table, when each row's key first arrived. So on the emulators a row counts
 * as visible when the warehouse function's insert call reaches BigQuery, not when a query would
 * return it (BigQuery's own streaming buffer adds its few seconds to that).
 */
export class InsertAllRecorder {
  readonly #server: Server;
  #arrived = new Map<string, number>();
  rows = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<InsertAllRecorder> {
    // The handler needs the recorder, which needs the server: it is filled in once both exist.
    const holder: { recorder?: InsertAllRecorder } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        const table = /\/tables\/([^/?]+)\/insertAll/.exec(req.url ?? '')?.[1];
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { rows?: Array<{ insertId?: string; json?: Record<string, unknown> }> };
        for (const row of body.rows ?? []) {
          const recorder = holder.recorder;
          if (recorder) recorder.rows++;
          const column = table ? keyColumn[table] : undefined;
          const key = column ? String(row.json?.[column] ?? '') : '';
          if (key && recorder && !recorder.#arrived.has(key)) recorder.#arrived.set(key, at);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'bigquery#tableDataInsertAllResponse' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.recorder = new InsertAllRecorder(server);
    return holder.recorder;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The keys that arrived since the last call, with when each did. */
  takeArrivals(): Map<string, number> {
    const arrived = this.#arrived;
    this.#arrived = new Map();
    return arrived;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()).closeAllConnections());
  }
}

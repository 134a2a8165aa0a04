import type { Server } from 'node:http';
import type { HttpHandler } from '../../shared/platform/http/types.ts';
import type { LocalAdapters } from './local-adapters.ts';
import { removeServerFile } from './server-file.ts';

/** How long a durable stack's shutdown works on the queue before leaving the rest to the next run. */
const shutdownDrainMs = 10_000;

export interface ShutdownParts {
  dataDir: string;
  server: Server;
  functions: Iterable<HttpHandler>;
  adapters: LocalAdapters;
  /** Timers of periodic work, cleared first. */
  timers: readonly NodeJS.Timeout[];
}

/**
 * The stop of `earshot start`, once however often it is called: intake stops (no new
 * connections, idle ones closed), handlers flush what they gather, the queue is worked on (for up
 * to 10 s when durable: the rest waits on disk for the next start), then the stores close and the
 * server file goes, so `earshot query` opens the warehouse itself.
 */
export function createShutdown({ dataDir, server, functions, adapters, timers }: ShutdownParts): () => Promise<void> {
  const { bus, store, warehouse } = adapters;
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    for (const timer of timers) clearInterval(timer);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await Promise.all([...functions].map((h) => h.close?.()));
    await (store ? Promise.race([bus.drain(), new Promise((r) => setTimeout(r, shutdownDrainMs).unref())]) : bus.drain());
    await bus.pause();
    await store?.close();
    await warehouse.close();
    removeServerFile(dataDir);
  };
  return () => (stopping ??= stop());
}

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';

/** What `earshot start` leaves in its data folder so `earshot query` can reach it. */
export interface ServerFile {
  pid: number;
  port: number;
  token: string;
  /** The address the server listens on (`server.address()`); older files have none. */
  host?: string;
}

/**
 * Where a client on this machine reaches the server: its address, bracketed when IPv6 (a bare
 * `::1` in a URL reads as a port), or loopback when it listens on every address.
 */
export function serverBaseUrl(server: Pick<ServerFile, 'host' | 'port'>): string {
  const host = server.host;
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return `http://127.0.0.1:${server.port}`;
  return isIPv6(host) ? `http://[${host}]:${server.port}` : `http://${host}:${server.port}`;
}

export const serverFilePath = (dataDir: string) => join(dataDir, 'server.json');

export function writeServerFile(dataDir: string, server: ServerFile): void {
  writeFileSync(serverFilePath(dataDir), JSON.stringify(server), { mode: 0o600 });
}

export function removeServerFile(dataDir: string): void {
  rmSync(serverFilePath(dataDir), { force: true });
}

/** The running server of a data folder, or undefined when none runs (a stale file is ignored). */
export function tryReadRunningServer(dataDir: string): ServerFile | undefined {
  let server: ServerFile;
  try {
    server = JSON.parse(readFileSync(serverFilePath(dataDir), 'utf8')) as ServerFile;
  } catch {
    return undefined;
  }
  try {
    process.kill(server.pid, 0);
    return server;
  } catch {
    return undefined;
  }
}

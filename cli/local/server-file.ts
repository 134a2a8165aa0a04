import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What `earshot start` leaves in its data folder so `earshot query` can reach it. */
export interface ServerFile {
  pid: number;
  port: number;
  token: string;
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

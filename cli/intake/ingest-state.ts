import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How far one file's ingest got: lines up to `line` are acknowledged by the server. */
export interface FilePosition {
  size: number;
  mtime_ms: number;
  format: string;
  line: number;
  done: boolean;
}

export type IngestState = Record<string, FilePosition>;

export const ingestStatePath = (dataDir: string) => join(dataDir, 'ingest-state.json');

export function readIngestState(dataDir: string): IngestState {
  try {
    return JSON.parse(readFileSync(ingestStatePath(dataDir), 'utf8')) as IngestState;
  } catch {
    return {};
  }
}

/** Written to a temporary file and renamed, so an interrupted write leaves the last good state. */
export function writeIngestState(dataDir: string, state: IngestState): void {
  const path = ingestStatePath(dataDir);
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 1));
  renameSync(`${path}.tmp`, path);
}

/** The line to resume after: 0 for a new file, or one that changed since (size or time). */
export function resumeLine(position: FilePosition | undefined, size: number, mtimeMs: number, format: string): number {
  if (!position || position.size !== size || position.mtime_ms !== mtimeMs || position.format !== format) return 0;
  return position.done ? Number.POSITIVE_INFINITY : position.line;
}

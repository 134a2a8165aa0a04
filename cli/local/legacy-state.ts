import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { DurableStore } from '../../shared/adapters/local/durable-store.ts';
import { UsageError } from '../usage-error.ts';

interface LegacyDocument {
  doc: object;
  expiresAt?: number;
}

/**
 * Data folders of earlier versions kept state in `state.json` snapshots. Its documents move into
 * the durable store once, then the file is renamed `state.json.imported`. A file that does not
 * parse is refused in one line rather than started over, since starting over would count again
 * what it had already counted.
 */
export async function importLegacyState(dataDir: string, store: DurableStore): Promise<number> {
  const file = join(dataDir, 'state.json');
  if (!existsSync(file)) return 0;
  let data: Record<string, Record<string, LegacyDocument>>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, LegacyDocument>>;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
  } catch (err) {
    throw new UsageError(`${file} is not a readable state snapshot (${(err as Error).message}); move it away to start without it`);
  }
  let imported = 0;
  for (const [collection, docs] of Object.entries(data)) {
    for (const [id, stored] of Object.entries(docs)) {
      store.writeDocument(collection, id, JSON.stringify(stored.doc), stored.expiresAt);
      imported++;
    }
  }
  await store.flushed();
  renameSync(file, `${file}.imported`);
  return imported;
}

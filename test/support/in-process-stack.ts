import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../cli/local/stack.ts';
import { InProcessBus } from '../../shared/adapters/local/in-process-bus.ts';
import { describeErrors, tryParseConfig } from '../../shared/platform/config/parse-config.ts';
import { createLogger } from '../../shared/platform/logging/logger.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { FactsBatch } from '../../shared/contracts/schemas/facts-message.ts';
import type { TableName } from '../../shared/contracts/schemas/rows.ts';
import { validatorFor } from '../../shared/contracts/schemas/validator.ts';
import { loadDefaultClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { fixedConfig } from './fixed-config.ts';

/** A row some function published to `facts`, as the warehouse function received it. */
export interface PublishedRow {
  table: TableName;
  row: Record<string, unknown>;
}

export interface InProcessStack {
  stack: LocalStack;
  dataDir: string;
  config: EarshotConfig;
  /** Every line the stack logged. */
  logLines: string[];
  /** Every row published to `facts`, seen by a second subscription beside the warehouse's. */
  published: PublishedRow[];
  /** `facts` messages that were not a facts batch at all. */
  unreadableFacts: string[];
}

/** The fixed test config with its defaults filled, as `earshot start --config` would load it. */
export function loadFixedConfig(): EarshotConfig {
  const parsed = tryParseConfig(JSON.stringify(fixedConfig));
  if (!parsed.ok) throw new Error(`fixed config is invalid: ${describeErrors(parsed.errors)}`);
  return parsed.value;
}

/**
 * `startLocalStack` on port 0 in this process, with a fresh data folder, the fixed config, the
 * log captured and an audit subscription on `facts`, so a test sees every row written.
 */
export async function startInProcessStack(options: Pick<LocalStackOptions, 'chaos' | 'storeFaults'> = {}): Promise<InProcessStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-stack-'));
  const config = loadFixedConfig();
  const logLines: string[] = [];
  const log = createLogger({ write: (line) => logLines.push(line) });
  const stack = await startLocalStack({ dataDir, port: 0, host: '127.0.0.1', config, log, classifier: loadDefaultClassifier(), ...options });
  const bus = stack.runtime.bus;
  if (!(bus instanceof InProcessBus)) throw new Error('the local stack is expected to run on the in-process bus');
  const published: PublishedRow[] = [];
  const unreadableFacts: string[] = [];
  const isFactsBatch = validatorFor(FactsBatch);
  bus.subscribe('facts', 'test-audit', async (event) => {
    const text = Buffer.from(event.data?.message.data ?? '', 'base64').toString('utf8');
    let batch: unknown;
    try {
      batch = JSON.parse(text);
    } catch {
      batch = undefined;
    }
    const checked = isFactsBatch(batch);
    if (!checked.ok) return void unreadableFacts.push(text);
    for (const row of checked.value.rows) published.push({ table: checked.value.table as TableName, row });
  });
  return { stack, dataDir, config, logLines, published, unreadableFacts };
}

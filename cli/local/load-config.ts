import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeErrors, tryParseConfig } from '../../shared/platform/config/parse-config.ts';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { UsageError } from '../usage-error.ts';
import { createDemoConfig } from './demo-config.ts';

export interface LoadedConfig {
  config: EarshotConfig;
  path: string;
  /** True when a demo config was just written because none was given. */
  created: boolean;
}

/** The config from `--config` / `EARSHOT_CONFIG`, else the data folder's, else a new demo config. */
export function loadOrCreateConfig(dataDir: string, explicit: string | undefined): LoadedConfig {
  const path = explicit ?? join(dataDir, 'config.json');
  if (!existsSync(path)) {
    if (explicit) throw new UsageError(`config file ${explicit} does not exist`);
    const config = createDemoConfig();
    writeFileSync(path, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
    return { config, path, created: true };
  }
  const parsed = tryParseConfig(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new UsageError(`config ${path} is invalid: ${describeErrors(parsed.errors)}`);
  return { config: parsed.value, path, created: false };
}

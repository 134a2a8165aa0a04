import { join } from 'node:path';
import type { EarshotConfig } from '../../shared/contracts/schemas/config.ts';
import { serverBaseUrl, tryReadRunningServer } from '../local/server-file.ts';
import { readConfigFile } from '../read-config-file.ts';
import { UsageError } from '../usage-error.ts';

/** A running Earshot and the platform key to send to it with. */
export interface PlatformTarget {
  base: string;
  platform: string;
  key: string;
  config: EarshotConfig;
}

/**
 * Where `earshot feeds add` and `earshot ingest` send: `--url`, else the `earshot start` running
 * on the data folder, else localhost:8080; the key is the config's first platform's (or `--platform`'s).
 */
export function resolvePlatformTarget(values: { url?: string | undefined; data: string; config?: string | undefined; platform?: string | undefined }): PlatformTarget {
  const config = readConfigFile(values.config ?? join(values.data, 'config.json'));
  const platform = values.platform ? config.platforms.find((p) => p.id === values.platform) : config.platforms[0];
  if (!platform) throw new UsageError(values.platform ? `the config has no platform ${JSON.stringify(values.platform)}` : 'the config has no platform to send as');
  const running = values.url ? undefined : tryReadRunningServer(values.data);
  const base = (values.url ?? (running ? serverBaseUrl(running) : 'http://localhost:8080')).replace(/\/$/, '');
  return { base, platform: platform.id, key: platform.keys[0] as string, config };
}

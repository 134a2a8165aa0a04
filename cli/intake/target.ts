import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverBaseUrl, tryReadRunningServer } from '../local/server-file.ts';
import { UsageError } from '../usage-error.ts';

/** A running Earshot and the platform key to send to it with. */
export interface PlatformTarget {
  base: string;
  platform: string;
  key: string;
}

interface PlatformKeys {
  id: string;
  key: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The id and first key of each platform in a config. Only these are read: the server validates
 * the whole config when it starts and refuses a key it does not hold, and a client command that
 * compiled the config schema would spend a third of a second before sending anything.
 */
export function readPlatformKeys(path: string): PlatformKeys[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the config ${path}: run earshot start first, or give --config`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config ${path} is invalid: /: json: ${(err as Error).message}`);
  }
  const platforms = isRecord(config) ? (config.platforms ?? []) : undefined;
  if (!Array.isArray(platforms)) throw new UsageError(`config ${path} is invalid: ${isRecord(config) ? '/platforms: type: must be array' : '/: type: must be object'}`);
  return platforms.map((platform: unknown, i) => {
    const id = isRecord(platform) ? platform.id : undefined;
    const keys = isRecord(platform) ? platform.keys : undefined;
    if (typeof id !== 'string' || id === '') throw new UsageError(`config ${path} is invalid: /platforms/${i}/id: must be a non-empty string`);
    const key: unknown = Array.isArray(keys) ? keys[0] : undefined;
    if (typeof key !== 'string' || key === '') throw new UsageError(`config ${path} is invalid: /platforms/${i}/keys: must hold at least one key`);
    return { id, key };
  });
}

/**
 * Where `earshot feeds add` and `earshot ingest` send: `--url`, else the `earshot start` running
 * on the data folder, else localhost:8080; the key is the config's first platform's (or `--platform`'s).
 */
export function resolvePlatformTarget(values: { url?: string | undefined; data: string; config?: string | undefined; platform?: string | undefined }): PlatformTarget {
  const platforms = readPlatformKeys(values.config ?? join(values.data, 'config.json'));
  const platform = values.platform ? platforms.find((p) => p.id === values.platform) : platforms[0];
  if (!platform) throw new UsageError(values.platform ? `the config has no platform ${JSON.stringify(values.platform)}` : 'the config has no platform to send as');
  const running = values.url ? undefined : tryReadRunningServer(values.data);
  const base = (values.url ?? (running ? serverBaseUrl(running) : 'http://localhost:8080')).replace(/\/$/, '');
  return { base, platform: platform.id, key: platform.key };
}

import { readFileSync } from 'node:fs';
import { describeErrors, tryParseConfig } from '../shared/platform/config/parse-config.ts';
import type { EarshotConfig } from '../shared/contracts/schemas/config.ts';
import { UsageError } from './usage-error.ts';

/** The config a client command sends with (its keys), or a UsageError saying what to do. */
export function readConfigFile(path: string): EarshotConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the config ${path}: run earshot start first, or give --config`);
  }
  const parsed = tryParseConfig(text);
  if (!parsed.ok) throw new UsageError(`config ${path} is invalid: ${describeErrors(parsed.errors)}`);
  return parsed.value;
}

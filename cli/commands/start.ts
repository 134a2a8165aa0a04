import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger } from '../../shared/platform/logging/logger.ts';
import { loadOrCreateConfig } from '../local/load-config.ts';
import { startLocalStack } from '../local/stack.ts';
import { parseIntegerOption, UsageError } from '../usage-error.ts';
import { describeErrors } from '../../shared/platform/config/parse-config.ts';
import { loadUaClassifier } from '../../shared/adapters/data/load-pattern-lists.ts';
import { describeEndpoints } from '../local/start-banner.ts';

export const startUsage = 'earshot start [--port 8080] [--host HOST] [--data .earshot] [--config FILE] [--chaos RATE] [--ephemeral]';

/** `earshot start`: the whole system in one process until SIGINT/SIGTERM. */
export async function runStart(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string', default: '.earshot' },
      config: { type: 'string' },
      chaos: { type: 'string' },
      ephemeral: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const chaos = values.chaos === undefined ? 0 : Number(values.chaos);
  if (!(chaos >= 0 && chaos < 1)) throw new UsageError(`--chaos must be a rate from 0 to below 1, got ${JSON.stringify(values.chaos)}`);
  const port = parseIntegerOption('port', values.port ?? process.env.PORT, 8080, 65535);
  const dataDir = values.data;
  mkdirSync(dataDir, { recursive: true });
  const { config, path, created } = loadOrCreateConfig(dataDir, values.config ?? process.env.EARSHOT_CONFIG);
  const classifier = await loadUaClassifier(config.ua_list);
  if (!classifier.ok) throw new UsageError(`ua_list ${config.ua_list}: ${describeErrors(classifier.errors)}`);
  const log = createLogger();
  const stack = await startLocalStack({ dataDir, port, config, log, chaos, ephemeral: values.ephemeral, classifier: classifier.value, ...(values.host ? { host: values.host } : {}) });

  const say = (line: string) => process.stderr.write(line + '\n');
  const banner = [
    `Earshot is running at ${stack.url} (data in ${dataDir}, config ${path}${created ? ', a new demo config' : ''}${chaos ? `, bus chaos ${chaos}` : ''}${values.ephemeral ? ', EPHEMERAL: queue and state in memory only' : ''})`,
    ...describeEndpoints(config, stack.url, created),
    `  query: npx earshot query "SELECT count(*) FROM beacon_events" --data ${dataDir}`,
  ];
  say(banner.join('\n'));

  return new Promise((resolve) => {
    let signals = 0;
    const onSignal = (signal: string) => {
      if (++signals > 1) process.exit(1);
      say(`${signal}: finishing queued work and saving state...`);
      stack.stop().then(
        () => resolve(0),
        (err: unknown) => {
          say(`shutdown failed: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

import { writeSync } from 'node:fs';
import { describeFailure } from '../../platform/logging/describe-failure.ts';
import { createLogger } from '../../platform/logging/logger.ts';

export interface StartOrExitOptions {
  /** Where the one error line goes; stdout, written synchronously so it precedes the exit. */
  write?: (line: string) => void;
  exit?: (code: number) => never;
}

/**
 * Runs a function's start (configuration, handler) while its module loads, before
 * functions-framework listens. A failure is one Cloud Logging line and exit code 1: the revision
 * never passes its startup probe, so a deploy with a bad configuration fails and traffic stays on
 * the last good revision, instead of a Ready revision answering every request 503.
 */
export async function startOrExit<T>(name: string, start: () => Promise<T>, options: StartOrExitOptions = {}): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const write = options.write ?? ((line: string) => void writeSync(1, line + '\n'));
    createLogger({ write }).error(describeFailure(`${name} cannot start`, err), { function: name });
    return (options.exit ?? ((code: number) => process.exit(code)))(1);
  }
}

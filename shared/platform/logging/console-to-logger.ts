import { format } from 'node:util';
import type { Logger } from './logger.ts';

/**
 * Sends everything written through `console` to the logger, one Cloud Logging entry per call.
 * functions-framework reports what reaches it (an uncaught exception, a crash, the exit that
 * follows) with `console.error` as many lines of text, and so do some libraries; as entries with
 * a severity they stay whole and are found by severity, not lost in stderr.
 */
export function routeConsoleToLogger(log: Logger): void {
  const text = (args: unknown[]) => format(...args);
  console.log = (...args: unknown[]) => log.info(text(args));
  console.info = (...args: unknown[]) => log.info(text(args));
  console.debug = (...args: unknown[]) => log.debug(text(args));
  console.warn = (...args: unknown[]) => log.warn(text(args));
  console.error = (...args: unknown[]) => log.error(text(args));
}

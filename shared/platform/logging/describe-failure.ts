import { computeOriginalStack } from './original-stack.ts';

/**
 * One log message for a failure, the stack included (in the TypeScript sources when it ran from a
 * bundle): Error Reporting groups entries whose message holds a stack trace, and the logger
 * escapes its line breaks, so the entry stays one line.
 */
export function describeFailure(what: string, err: unknown): string {
  const detail = err instanceof Error ? (err.stack ? computeOriginalStack(err.stack) : `${err.name}: ${err.message}`) : String(err);
  return `${what}: ${detail}`;
}

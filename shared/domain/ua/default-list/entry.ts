import type { PatternEntry } from '../pattern-file.ts';

/**
 * One entry of the project's own list. Patterns are written as regex literals so that a typo
 * fails when the module is parsed, and stored as their source: the same data shape as an OPAWG
 * file, so one classifier serves both. OPAWG patterns carry no flags, so none are allowed here.
 */
export function entry(name: string, pattern: RegExp, category?: string): PatternEntry {
  if (pattern.flags) throw new Error(`user-agent pattern for ${name} has flags /${pattern.flags}: patterns take none`);
  return category === undefined ? { name, pattern: pattern.source } : { name, pattern: pattern.source, category };
}

import { describeFailure } from '../../platform/logging/describe-failure.ts';
import type { Logger } from '../../platform/logging/logger.ts';

/** Cloud Run sends SIGKILL 10 s after SIGTERM; finish before that. */
const defaultGraceMs = 8_000;

/**
 * Calls `close` (flushing pending batches) when the instance is told to stop. functions-framework
 * answers SIGTERM itself with an immediate `process.exit()`, from a listener registered after this
 * one (once the server listens); this listener holds that exit back until `close` settles or the
 * grace period ends, then exits with the code asked for.
 */
export function closeOnSigterm(name: string, close: () => Promise<void> | void, log: Logger, graceMs = defaultGraceMs): void {
  process.once('SIGTERM', () => {
    const exit = process.exit.bind(process);
    let code: number | undefined;
    let finished = false;
    const held = (asked?: number | string | null): never => {
      if (asked !== undefined && asked !== null) code = Number(asked);
      return undefined as never;
    };
    process.exit = held;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      process.exit = exit;
      exit(code ?? 0);
    };
    const timer = setTimeout(() => {
      log.error(`${name} did not flush within ${graceMs} ms of SIGTERM`);
      finish();
    }, graceMs);
    Promise.resolve()
      .then(close)
      .catch((err: unknown) => log.error(describeFailure(`${name} failed to flush on SIGTERM`, err)))
      .finally(finish);
  });
}

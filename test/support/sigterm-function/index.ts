import { http } from '@google-cloud/functions-framework';
import { createLogger } from '../../../shared/platform/logging/logger.ts';
import { closeOnSigterm } from '../../../shared/composition/startup/close-on-sigterm.ts';

// A function whose close() takes a while, as a batch publishing at shutdown does: run under
// functions-framework's CLI by test/unit/composition/startup/close-on-sigterm.test.ts.
const log = createLogger();
const closeMs = Number(process.env.CLOSE_MS ?? '300');
const graceMs = Number(process.env.GRACE_MS ?? '5000');
closeOnSigterm(
  'sigterm-test',
  async () => {
    await new Promise((resolve) => setTimeout(resolve, closeMs));
    log.info('pending batch flushed');
  },
  log,
  graceMs,
);
http('sigterm-test', (_req, res) => void res.status(204).end());

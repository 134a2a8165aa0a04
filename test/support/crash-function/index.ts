import { http } from '@google-cloud/functions-framework';
import { startHttpFunction } from '../../../shared/composition/startup/start-function.ts';

// A function started as the real ones are, whose /crash leaves a promise rejection unhandled after
// answering, which functions-framework's request domain catches and reports itself with
// console.error: run by test/unit/composition/startup/console-to-logger.test.ts.
http(
  'crash-test',
  await startHttpFunction('crash-test', {}, () => async (request) => {
    if (request.path === '/crash') {
      void Promise.reject(new Error('a bug outside any handler'));
    }
    return { status: 204 };
  }),
);

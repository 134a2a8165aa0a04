import { http } from '@google-cloud/functions-framework';

// functions-framework's hello world, served by its own CLI (`functions-framework --target=hello`).
http('hello', (_req, res) => {
  res.status(204).end();
});

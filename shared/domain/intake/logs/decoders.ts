import { createCloudFrontDecoder } from './cloudfront.ts';
import { createCloudLoggingDecoder } from './cloud-logging.ts';
import { createCombinedDecoder } from './combined.ts';
import { createGcsDecoder } from './gcs.ts';
import type { LogDecoder, LogFormat } from './types.ts';

const factories: Record<LogFormat, () => LogDecoder> = {
  cloudfront: createCloudFrontDecoder,
  combined: createCombinedDecoder,
  'cloud-logging': createCloudLoggingDecoder,
  gcs: createGcsDecoder,
};

/** A fresh decoder (state of its own: a file's `#Fields:` or CSV header) for one file or body. */
export const createLogDecoder = (format: LogFormat): LogDecoder => factories[format]();

import { http } from '@google-cloud/functions-framework';
import { pubsubBus } from '../../shared/composition/cloud-ports/pubsub.ts';
import { startHttpFunction } from '../../shared/composition/startup/start-function.ts';
import { createConversionHandler } from './handler.ts';

http('conversion', await startHttpFunction('conversion', { bus: pubsubBus }, createConversionHandler));

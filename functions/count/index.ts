import { cloudEvent } from '@google-cloud/functions-framework';
import { toFrameworkCloudEvent } from '../../shared/messaging/framework-pubsub.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createCountHandler } from './handler.ts';

cloudEvent('count', toFrameworkCloudEvent(async () => createCountHandler(await cloudRuntime())));

import { cloudEvent } from '@google-cloud/functions-framework';
import { toFrameworkCloudEvent } from '../../shared/messaging/framework-pubsub.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createAttributeHandler } from './handler.ts';

cloudEvent('attribute', toFrameworkCloudEvent(async () => createAttributeHandler(await cloudRuntime())));

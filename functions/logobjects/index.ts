import { cloudEvent } from '@google-cloud/functions-framework';
import { toFrameworkCloudEvent } from '../../shared/messaging/framework-pubsub.ts';
import { cloudObjectReader, cloudRuntime } from '../../shared/runtime.ts';
import { createLogObjectsHandler } from './handler.ts';

cloudEvent('logobjects', toFrameworkCloudEvent(async () => createLogObjectsHandler({ ...(await cloudRuntime()), objects: cloudObjectReader() })));

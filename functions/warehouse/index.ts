import { cloudEvent } from '@google-cloud/functions-framework';
import { toFrameworkCloudEvent } from '../../shared/messaging/framework-pubsub.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createWarehouseHandler } from './handler.ts';

cloudEvent('warehouse', toFrameworkCloudEvent(async () => createWarehouseHandler(await cloudRuntime())));

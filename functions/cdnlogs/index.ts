import { cloudEvent } from '@google-cloud/functions-framework';
import { toFrameworkCloudEvent } from '../../shared/messaging/framework-pubsub.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createCdnLogsHandler } from './handler.ts';

cloudEvent('cdnlogs', toFrameworkCloudEvent(async () => createCdnLogsHandler(await cloudRuntime())));

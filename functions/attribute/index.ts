import { http } from '@google-cloud/functions-framework';
import { firestoreState } from '../../shared/composition/cloud-ports/firestore.ts';
import { pubsubBus } from '../../shared/composition/cloud-ports/pubsub.ts';
import { startPubsubFunction } from '../../shared/composition/startup/start-function.ts';
import { createAttributeHandler } from './handler.ts';

// Served to its push subscription through http(): see shared/platform/messaging/framework-pubsub.ts.
http('attribute', await startPubsubFunction('attribute', { bus: pubsubBus, state: firestoreState }, createAttributeHandler));

import { http } from '@google-cloud/functions-framework';
import { firestoreState } from '../../shared/composition/cloud-ports/firestore.ts';
import { pubsubBus } from '../../shared/composition/cloud-ports/pubsub.ts';
import { startHttpFunction } from '../../shared/composition/startup/start-function.ts';
import { createVerificationHandler } from './handler.ts';

http('verification', await startHttpFunction('verification', { bus: pubsubBus, state: firestoreState }, createVerificationHandler));

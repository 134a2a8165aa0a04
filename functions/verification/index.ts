import { http } from '@google-cloud/functions-framework';
import { firestoreState } from '../../shared/cloud-ports/firestore.ts';
import { pubsubBus } from '../../shared/cloud-ports/pubsub.ts';
import { startHttpFunction } from '../../shared/startup/start-function.ts';
import { createVerificationHandler } from './handler.ts';

http('verification', await startHttpFunction('verification', { bus: pubsubBus, state: firestoreState }, createVerificationHandler));

import { http } from '@google-cloud/functions-framework';
import { firestoreState } from '../../shared/cloud-ports/firestore.ts';
import { pubsubBus } from '../../shared/cloud-ports/pubsub.ts';
import { startHttpFunction } from '../../shared/startup/start-function.ts';
import { createBeaconHandler } from './handler.ts';

http('beacon', await startHttpFunction('beacon', { bus: pubsubBus, state: firestoreState }, createBeaconHandler));

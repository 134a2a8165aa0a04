import { http } from '@google-cloud/functions-framework';
import { firestoreState } from '../../shared/composition/cloud-ports/firestore.ts';
import { pubsubBus } from '../../shared/composition/cloud-ports/pubsub.ts';
import { startHttpFunction } from '../../shared/composition/startup/start-function.ts';
import { createBeaconHandler } from './handler.ts';

http('beacon', await startHttpFunction('beacon', { bus: pubsubBus, state: firestoreState }, createBeaconHandler));

import { http } from '@google-cloud/functions-framework';
import { bigqueryWarehouse } from '../../shared/composition/cloud-ports/bigquery.ts';
import { startPubsubFunction } from '../../shared/composition/startup/start-function.ts';
import { createWarehouseHandler } from './handler.ts';

// Served to its push subscription through http(): see shared/platform/messaging/framework-pubsub.ts.
http('warehouse', await startPubsubFunction('warehouse', { warehouse: bigqueryWarehouse }, createWarehouseHandler));

import { http } from '@google-cloud/functions-framework';
import { bigqueryWarehouse } from '../../shared/cloud-ports/bigquery.ts';
import { startPubsubFunction } from '../../shared/startup/start-function.ts';
import { createWarehouseHandler } from './handler.ts';

// Served to its push subscription through http(): see shared/messaging/framework-pubsub.ts.
http('warehouse', await startPubsubFunction('warehouse', { warehouse: bigqueryWarehouse }, createWarehouseHandler));

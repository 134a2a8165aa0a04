import { http } from '@google-cloud/functions-framework';
import { bigqueryReports } from '../../shared/composition/cloud-ports/bigquery-reports.ts';
import { startHttpFunction } from '../../shared/composition/startup/start-function.ts';
import { createReportsHandler } from './handler.ts';

http('reports', await startHttpFunction('reports', { reports: bigqueryReports }, createReportsHandler));

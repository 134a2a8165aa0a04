import { http } from '@google-cloud/functions-framework';
import { toFrameworkHttp } from '../../shared/http/framework-http.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createReportsHandler } from './handler.ts';

http('reports', toFrameworkHttp('reports', async () => createReportsHandler(await cloudRuntime())));

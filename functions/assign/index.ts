import { http } from '@google-cloud/functions-framework';
import { toFrameworkHttp } from '../../shared/http/framework-http.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createAssignHandler } from './handler.ts';

http('assign', toFrameworkHttp('assign', async () => createAssignHandler(await cloudRuntime())));

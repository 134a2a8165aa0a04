import { http } from '@google-cloud/functions-framework';
import { toFrameworkHttp } from '../../shared/http/framework-http.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createVerificationHandler } from './handler.ts';

http('verification', toFrameworkHttp('verification', async () => createVerificationHandler(await cloudRuntime())));

import { http } from '@google-cloud/functions-framework';
import { toFrameworkHttp } from '../../shared/http/framework-http.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createConversionHandler } from './handler.ts';

http('conversion', toFrameworkHttp('conversion', async () => createConversionHandler(await cloudRuntime())));

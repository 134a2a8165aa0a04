import { http } from '@google-cloud/functions-framework';
import { toFrameworkHttp } from '../../shared/http/framework-http.ts';
import { cloudRuntime } from '../../shared/runtime.ts';
import { createBeaconHandler } from './handler.ts';

http('beacon', toFrameworkHttp('beacon', async () => createBeaconHandler(await cloudRuntime())));

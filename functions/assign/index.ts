import { http } from '@google-cloud/functions-framework';
import { startHttpFunction } from '../../shared/composition/startup/start-function.ts';
import { createAssignHandler } from './handler.ts';

http('assign', await startHttpFunction('assign', {}, createAssignHandler));

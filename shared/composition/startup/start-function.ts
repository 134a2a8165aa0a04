import type { Request, Response } from '@google-cloud/functions-framework';
import { toFrameworkHttp } from '../../platform/http/framework-http.ts';
import { routeConsoleToLogger } from '../../platform/logging/console-to-logger.ts';
import type { HttpHandler } from '../../platform/http/types.ts';
import { toFrameworkPubsub } from '../../platform/messaging/framework-pubsub.ts';
import type { PubsubHandler } from '../../platform/messaging/pubsub-event.ts';
import { cloudRuntime, type CloudRuntime, type PortFactories, type PortName } from '../runtime.ts';
import { closeOnSigterm } from './close-on-sigterm.ts';
import { startOrExit } from './start-or-exit.ts';

type FrameworkHandler = (req: Request, res: Response) => Promise<void>;

/** An HTTP function, built at start; its pending batches are flushed on SIGTERM. */
export async function startHttpFunction<P extends PortName>(
  name: string,
  ports: PortFactories<P>,
  create: (runtime: NoInfer<CloudRuntime<P>>) => HttpHandler,
): Promise<FrameworkHandler> {
  return startOrExit(name, async () => {
    const runtime = await cloudRuntime(ports);
    routeConsoleToLogger(runtime.log);
    const handler = create(runtime);
    closeOnSigterm(name, () => handler.close?.(), runtime.log);
    return toFrameworkHttp(name, handler, runtime.log);
  });
}

/** A Pub/Sub function served to its push subscription, built at start. */
export async function startPubsubFunction<P extends PortName>(
  name: string,
  ports: PortFactories<P>,
  create: (runtime: NoInfer<CloudRuntime<P>>) => PubsubHandler,
): Promise<FrameworkHandler> {
  return startOrExit(name, async () => {
    const runtime = await cloudRuntime(ports);
    routeConsoleToLogger(runtime.log);
    return toFrameworkPubsub(name, create(runtime), runtime.log);
  });
}

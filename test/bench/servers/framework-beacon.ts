import { http } from '@google-cloud/functions-framework';
import { createBeaconHandler } from '../../../functions/beacon/handler.ts';
import { InProcessBus } from '../../../shared/adapters/local/in-process-bus.ts';
import { MemoryStateStore } from '../../../shared/adapters/local/memory-state.ts';
import { describeErrors, tryParseConfig } from '../../../shared/platform/config/parse-config.ts';
import { toFrameworkHttp } from '../../../shared/platform/http/framework-http.ts';
import { createLogger } from '../../../shared/platform/logging/logger.ts';
import { systemClock } from '../../../shared/contracts/ports.ts';

// The beacon function's cloud path as deployed (functions-framework's CLI, `toFrameworkHttp`, the
// handler), configured like the cloud from EARSHOT_CONFIG. Pub/Sub is replaced by the in-process
// bus with no subscriber, so the figure is the framework's and ours, not an emulator's.
const parsed = tryParseConfig(process.env.EARSHOT_CONFIG ?? '');
if (!parsed.ok) throw new Error(`EARSHOT_CONFIG is invalid: ${describeErrors(parsed.errors)}`);
const bus = new InProcessBus({ onUndeliverable: async () => {} });
const deps = { config: parsed.value, bus, clock: systemClock, log: createLogger(), state: new MemoryStateStore(Date.now) };

http('beacon', toFrameworkHttp('beacon', createBeaconHandler(deps), deps.log));

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startChildServer, type ChildServer } from './child-server.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const earshotBin = here('../../../bin/earshot.js');
const frameworkCli = here('../../../node_modules/@google-cloud/functions-framework/build/src/main.js');
/** The CPU every server under test is pinned to; the load generator gets the other. */
export const serverCpu = 0;

/** The baseline: bare node:http answering 204. */
export function startBare204(): Promise<ChildServer> {
  return startChildServer({ args: ['--import', 'tsx', here('../servers/bare-204.ts')], ready: /listening at (\S+)/, cpu: serverCpu });
}

/** The redirect baseline: bare node:http answering the 302 a prefix redirect sends. */
export function startBare302(): Promise<ChildServer> {
  return startChildServer({ args: ['--import', 'tsx', here('../servers/bare-302.ts')], ready: /listening at (\S+)/, cpu: serverCpu });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A function served by functions-framework's own CLI, as Cloud Run functions run it (the CLI
 * prints the port it was given, so it gets a free one up front). `env` adds the framework's
 * options, e.g. `CLOUD_RUN_TIMEOUT_SECONDS` which Cloud Run sets.
 */
export async function startFramework(source: string, target: string, env: NodeJS.ProcessEnv = {}): Promise<ChildServer> {
  const port = await freePort();
  return startChildServer({
    args: ['--import', 'tsx', frameworkCli, `--target=${target}`, `--source=${source}`, `--port=${port}`],
    // Plain text from the framework, or a JSON log line from a function that routes the console to its logger.
    ready: /URL: (http:\/\/[^\s"/]+)/,
    env: { NODE_ENV: 'development', ...env },
    cpu: serverCpu,
  });
}

export const frameworkHelloSource = here('../servers/framework-hello.ts');
export const frameworkBeaconSource = here('../servers/framework-beacon.ts');

/** `earshot start` on a fresh data folder (`extraArgs`: e.g. `--ephemeral`); also returns the demo config's first platform and key. */
export async function startEarshotServer(dataDir: string, extraArgs: readonly string[] = []): Promise<{ server: ChildServer; platform: string; key: string }> {
  const server = await startChildServer({ args: [earshotBin, 'start', '--port', '0', '--data', dataDir, ...extraArgs], ready: /running at (http:\/\/\S+)/, cpu: serverCpu });
  const config = JSON.parse(readFileSync(`${dataDir}/config.json`, 'utf8')) as { platforms: Array<{ id: string; keys: string[] }> };
  const first = config.platforms[0];
  if (!first?.keys[0]) throw new Error('the demo config has no platform key');
  return { server, platform: first.id, key: first.keys[0] };
}

/** `/_local/<route>` of the `earshot start` serving `dataDir`, with the token of its server.json. */
export async function callEarshotAdmin(url: string, dataDir: string, route: string, body?: string): Promise<Response> {
  const { token } = JSON.parse(readFileSync(`${dataDir}/server.json`, 'utf8')) as { token: string };
  const response = await fetch(`${url}/_local/${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body }) });
  if (!response.ok) throw new Error(`/_local/${route} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** Resolves once `earshot start` has processed every message it accepted. */
export async function drainEarshot(url: string, dataDir: string): Promise<void> {
  await (await callEarshotAdmin(url, dataDir, 'drain')).arrayBuffer();
}

/** The batch-intake baseline (`JSON.parse` of the same bodies) as a server on the servers' core. */
export function startJsonParseRate(): Promise<ChildServer> {
  return startChildServer({ args: ['--import', 'tsx', here('../servers/json-parse-rate.ts')], ready: /listening at (\S+)/, cpu: serverCpu });
}

/** Records per second the `startJsonParseRate` server parses in `seconds`. */
export async function measureJsonParseRate(server: ChildServer, seconds: number): Promise<number> {
  const response = await fetch(`${server.url}/?seconds=${seconds}`, { method: 'POST' });
  return ((await response.json()) as { rate: number }).rate;
}

/** The beacon function alone on node:http (intake without the pipeline behind it), from `config`. */
export function startBeaconAlone(config: string): Promise<ChildServer> {
  return startChildServer({ args: ['--import', 'tsx', here('../servers/beacon-node-http.ts')], ready: /listening at (\S+)/, env: { EARSHOT_CONFIG: config }, cpu: serverCpu });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestProject } from 'vitest/node';

const emulatorProject = 'earshot-test';
const readyTimeoutMs = 90_000;
const killGraceMs = 5_000;

declare module 'vitest' {
  export interface ProvidedContext {
    pubsubEmulatorHost: string;
    firestoreEmulatorHost: string;
    googleCloudProject: string;
  }
}

interface Emulator {
  name: string;
  child: ChildProcess;
  host: string;
  output: () => string;
  /** Why the emulator is no longer running, if it is not. */
  stopped: () => string | undefined;
}

function listenOnAnyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await listenOnAnyPort());
  return [...ports];
}

function start(name: string, args: string[], host: string): Emulator {
  // Own process group: gcloud (python) forks a shell and a JVM, and only a group kill reaches them all.
  const child = spawn('gcloud', [...args, `--host-port=${host}`], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stopped: string | undefined;
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (err) => (stopped = `could not start: ${err.message}`));
  child.once('exit', (code, signal) => (stopped ??= `exited with ${code ?? signal}`));
  return { name, child, host, output: () => output, stopped: () => stopped };
}

async function isReady(host: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200 && (await res.text()).trim() === 'Ok';
  } catch {
    return false;
  }
}

async function waitReady(emulator: Emulator): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (emulator.stopped()) break;
    if (await isReady(emulator.host)) return;
    await sleep(250);
  }
  const tail = emulator.output().trimEnd().split('\n').slice(-20).join('\n');
  const why = emulator.stopped() ?? `not ready within ${readyTimeoutMs / 1000} s`;
  throw new Error(`${emulator.name} emulator on ${emulator.host} ${why}; last output:\n${tail}`);
}

/** Signals the child's whole process group; false when no process of the group is left. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  if (child.pid === undefined) return false;
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false; // ESRCH
  }
}

async function stop(emulators: readonly Emulator[]): Promise<void> {
  for (const { child } of emulators) signalGroup(child, 'SIGTERM');
  // Checks the group, not the child: the JVM can outlive the gcloud wrapper.
  const deadline = Date.now() + killGraceMs;
  while (emulators.some(({ child }) => signalGroup(child, 0)) && Date.now() < deadline) await sleep(100);
  for (const { child } of emulators) signalGroup(child, 'SIGKILL');
}

/** The Pub/Sub and Firestore emulators on free loopback ports, until `stop`. */
export interface RunningEmulators {
  pubsubHost: string;
  firestoreHost: string;
  project: string;
  stop(): Promise<void>;
}

/** Starts both emulators from the installed `gcloud` and waits until they answer (the benchmarks use it too). */
export async function startEmulators(): Promise<RunningEmulators> {
  const [pubsubPort, firestorePort] = await freePorts(2);
  const pubsubHost = `127.0.0.1:${pubsubPort}`;
  const firestoreHost = `127.0.0.1:${firestorePort}`;
  const emulators = [
    start('Pub/Sub', ['beta', 'emulators', 'pubsub', 'start', `--project=${emulatorProject}`], pubsubHost),
    start('Firestore', ['emulators', 'firestore', 'start'], firestoreHost),
  ];
  // Vitest exits without running teardowns on SIGINT/SIGTERM or a crash; this still reaches the JVMs.
  const killOnExit = () => emulators.forEach(({ child }) => signalGroup(child, 'SIGKILL'));
  process.once('exit', killOnExit);
  const teardown = async () => {
    process.off('exit', killOnExit);
    await stop(emulators);
  };
  try {
    await Promise.all(emulators.map(waitReady));
  } catch (err) {
    await teardown();
    throw err;
  }
  return { pubsubHost, firestoreHost, project: emulatorProject, stop: teardown };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = await startEmulators();
  process.env.PUBSUB_EMULATOR_HOST = emulators.pubsubHost;
  process.env.FIRESTORE_EMULATOR_HOST = emulators.firestoreHost;
  process.env.GOOGLE_CLOUD_PROJECT = emulators.project;
  project.provide('pubsubEmulatorHost', emulators.pubsubHost);
  project.provide('firestoreEmulatorHost', emulators.firestoreHost);
  project.provide('googleCloudProject', emulators.project);
  return emulators.stop;
}

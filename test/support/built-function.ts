import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

export const frameworkMain = new URL('../../node_modules/@google-cloud/functions-framework/build/src/main.js', import.meta.url).pathname;

export interface StartedFunction {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code once the process ends. */
  exited: Promise<number | null>;
}

/** A free loopback port (the OS picks one; it is released before the caller binds it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs functions-framework's own CLI on a function folder, as Cloud Run does (`node_args` before main.js). */
export async function startUnderFramework(dir: string, target: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<StartedFunction> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, frameworkMain, `--target=${target}`, `--port=${port}`, `--source=${dir}`], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, stdout: () => out, stderr: () => err, exited };
}

/**
 * Whether the port accepts a TCP connection within `ms`: what Cloud Run's default startup probe
 * checks. False as soon as the process exits.
 */
export async function passesTcpProbe(started: StartedFunction, ms: number): Promise<boolean> {
  let ended = false;
  void started.exited.then(() => (ended = true));
  const deadline = Date.now() + ms;
  while (!ended && Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(started.port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** A server under test, running in its own process. */
export interface ChildServer {
  url: string;
  pid: number;
  /** Everything it printed so far (stdout and stderr), for error messages. */
  output: () => string;
  /** SIGTERM, then waits for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ChildServerOptions {
  /** Arguments to `node` (the script and its flags). */
  args: string[];
  /** Matches the server's URL in its output (group 1), once it listens. */
  ready: RegExp;
  env?: NodeJS.ProcessEnv;
  /** CPU the server is pinned to (`taskset`), so it gets one core and the load generator the other. */
  cpu?: number;
}

const hasTaskset = spawnSync('taskset', ['-V']).status === 0;

/**
 * Starts a server in a child process, pinned to one CPU where `taskset` exists: the benchmarks
 * compare servers on one core each, with the load generator (this process) on the other.
 */
export function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const command = hasTaskset && options.cpu !== undefined ? 'taskset' : process.execPath;
  const args = command === 'taskset' ? ['-c', String(options.cpu), process.execPath, ...options.args] : options.args;
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not come up within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      // Keep only the start of the output: a server that logs per request would grow it forever.
      if (output.length < 64 * 1024) output += chunk.toString();
      const url = options.ready.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.stdout?.removeListener('data', onData).resume();
      child.stderr?.removeListener('data', onData).resume();
      resolve({ url, pid: child.pid ?? 0, output: () => output, stop: () => (child.kill('SIGTERM'), exited) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Pins this process (the load generator) to a CPU, where `taskset` exists. */
export function pinSelf(cpu: number): void {
  if (hasTaskset) spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)]);
}

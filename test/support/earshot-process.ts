import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const earshotBin = fileURLToPath(new URL('../../bin/earshot.js', import.meta.url));
const execFileAsync = promisify(execFile);

export interface RunningEarshot {
  process: ChildProcess;
  url: string;
  stderr: () => string;
  /** Everything it wrote to stdout (its log lines). */
  stdout: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `earshot start` on a free port and resolves once it prints its URL. */
export function startEarshot(args: string[]): Promise<RunningEarshot> {
  const child = spawn(process.execPath, [earshotBin, 'start', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`earshot start did not come up:\n${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /running at (http:\/\/\S+)/.exec(stderr)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        process: child,
        url,
        stderr: () => stderr,
        stdout: () => stdout,
        stop: (signal = 'SIGTERM') => (child.kill(signal), exited),
      });
    });
    void exited.then((code) => reject(new Error(`earshot start exited with ${code}:\n${stderr}`)));
  });
}

/** Runs a one-shot `earshot` command and returns its exit code and output. */
export async function runEarshot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    // Query results of the larger reliability runs are tens of MiB of JSON.
    const { stdout, stderr } = await execFileAsync(process.execPath, [earshotBin, ...args], { maxBuffer: 512 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

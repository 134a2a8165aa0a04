import { tryReadRunningServer } from '../local/server-file.ts';

/**
 * Waits until the system has processed what was sent. Against the local `earshot start` of the
 * data folder that is exact (`/_local/drain`); against any other URL it is a pause of `seconds`.
 */
export async function waitForPipeline(base: string, dataDir: string, seconds: number): Promise<void> {
  const server = tryReadRunningServer(dataDir);
  if (server && new URL(base).port === String(server.port)) {
    const response = await fetch(`${base}/_local/drain`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` } });
    if (response.ok) return;
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

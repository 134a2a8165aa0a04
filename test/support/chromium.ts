import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's Chromium, where the machine's `chromium` package puts it (override: EARSHOT_CHROMIUM). */
export const chromiumPath = process.env.EARSHOT_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Makes sure the browser is there: a fresh machine of this kind has no Chromium until the project
 * installs Debian's package, and browser downloads (`playwright install`) cannot work here.
 */
export function ensureChromium(): string {
  if (existsSync(chromiumPath)) return chromiumPath;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`no Chromium at ${chromiumPath}: install Debian's chromium package (apt-get install chromium) or set EARSHOT_CHROMIUM`);
  }
  const apt = (...args: string[]) => execFileSync('apt-get', args, { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  apt('update');
  apt('install', '-y', '--no-install-recommends', 'chromium');
  return chromiumPath;
}

/** Flags for a headless Chromium on a closed network (no background connections, no sandbox as root). */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

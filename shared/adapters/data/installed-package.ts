import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The folder an installed package's files are in. */
export const installedPackageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** The installed version of a package, from its package.json. */
export const installedPackageVersion = (name: string): string =>
  (JSON.parse(readFileSync(join(installedPackageDir(name), 'package.json'), 'utf8')) as { version: string }).version;

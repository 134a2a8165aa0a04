// The npm registry this project installs from lacks DuckDB's binaries for other platforms, so
// `npm install` leaves them out of package-lock.json and `npm ci` then refuses the lock as out of
// sync. This adds an entry (version, os, cpu; no tarball) for each missing optional platform
// package; `npm ci` skips them on other platforms, as it would with full entries.
// Run after any `npm install`: `npm run lock:fix`. A unit test checks the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new globalThis.URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const match = /-(darwin|linux|win32)-(arm64|x64)(-musl)?$/.exec(name);
    if (!match) throw new Error(`${path}: optional dependency ${name} is missing from the lock and is not a platform binary`);
    const [, os, cpu, musl] = match;
    packages[key] = { version: entry.optionalDependencies[name], cpu: [cpu], license: entry.license, optional: true, os: [os], ...(os === 'linux' ? { libc: [musl ? 'musl' : 'glibc'] } : {}) };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${added} platform stub(s) added`);

// Bundles each Cloud Function into dist/functions/<name>/ (index.js + package.json) and zips it
// into dist/<name>-<content hash>.zip, listed in dist/functions.json, for Terraform: a new archive
// name means new code. Writes every table's BigQuery schema, derived from shared/schemas, to
// dist/bigquery/<table>.json and every view's BigQuery SQL to dist/bigquery/views/<view>.sql
// ({{dataset}} for the dataset, {{discrepancy_threshold_pct}} for the Terraform variable of that
// name), listed in dist/bigquery/tables.json and views.json, so Terraform declares whatever tables
// and views the code defines (scripts/bigquery-artifacts.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { computeBigQueryArtifacts } from './bigquery-artifacts.ts';

const root = new globalThis.URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// Google's SDKs load their protos from disk (__dirname), and the runtime's own functions-framework
// must see the registration, so they stay external and are installed by the deploy from the
// function's package.json. DuckDB (native, local only) is never reached from a function.
const external = ['@google-cloud/*', '@duckdb/node-api'];
const functions = readdirSync(`${root}functions`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

const zipEpoch = new Date('1980-01-02T00:00:00Z');
rmSync(`${root}dist`, { recursive: true, force: true });
const manifest = {};
for (const name of functions) {
  const out = `${root}dist/functions/${name}`;
  mkdirSync(out, { recursive: true });
  const result = await build({
    metafile: true,
    entryPoints: { index: `${root}functions/${name}/index.ts` },
    outdir: out,
    bundle: true,
    // Each GCP adapter is imported dynamically by shared/runtime.ts: splitting keeps it, and the
    // SDK it imports, in a chunk of its own, so module load (the cold start) pays for neither.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: 'linked',
    external,
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  const imported = new Set(
    Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path.split('/').slice(0, 2).join('/'))),
  );
  const runtimeDeps = Object.fromEntries([...imported].filter((d) => pkg.dependencies[d]).sort().map((d) => [d, pkg.dependencies[d]]));
  writeFileSync(
    `${out}/package.json`,
    JSON.stringify({ name: `earshot-${name}`, private: true, type: 'module', main: 'index.js', engines: { node: '>=22' }, dependencies: runtimeDeps }, null, 2),
  );
  const files = readdirSync(out).sort();
  const hash = files.reduce((h, file) => h.update(file).update(readFileSync(`${out}/${file}`)), createHash('sha256')).digest('hex').slice(0, 16);
  const archive = `${name}-${hash}.zip`;
  // Fixed times, order and no extra attributes make the zip's bytes a function of its content, so
  // a rebuild of the same code leaves Terraform's archive object unchanged.
  for (const file of files) utimesSync(`${out}/${file}`, zipEpoch, zipEpoch);
  execFileSync('zip', ['-qX', `${root}dist/${archive}`, ...files], { cwd: out });
  manifest[name] = { archive, entry_point: name, bytes: files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + readFileSync(`${out}/${f}`).length, 0) };
}
const warehouse = computeBigQueryArtifacts();
mkdirSync(`${root}dist/bigquery/views`, { recursive: true });
const tableList = {};
for (const [table, { schema, ...layout }] of Object.entries(warehouse.tables)) {
  writeFileSync(`${root}dist/bigquery/${layout.schema_file}`, JSON.stringify(schema, null, 2) + '\n');
  tableList[table] = layout;
}
for (const view of warehouse.views) writeFileSync(`${root}dist/bigquery/${view.sql_file}`, view.sql + '\n');
writeFileSync(`${root}dist/bigquery/tables.json`, JSON.stringify(tableList, null, 2) + '\n');
writeFileSync(`${root}dist/bigquery/views.json`, JSON.stringify(warehouse.views.map(({ sql: _sql, ...view }) => view), null, 2) + '\n');
writeFileSync(`${root}dist/functions.json`, JSON.stringify(manifest, null, 2) + '\n');
console.log(JSON.stringify(manifest));

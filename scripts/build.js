// Bundles each Cloud Function into <out>/functions/<name>/ and zips it into
// <out>/<name>-<content hash>.zip, listed in <out>/functions.json, for Terraform: a new archive
// name means new code. <out> is dist/ unless `--out DIR` says otherwise. Each archive holds:
//   index.js      imports main.js;
//   main.js, chunk-*.js and their .map files: the bundle (a logged failure's stack is mapped to
//                 the TypeScript sources then, shared/platform/logging/original-stack.ts, so no module
//                 load parses a map), with the JSON Schema validators generated ahead of time
//                 (ajv's standalone code, scripts/standalone-validators.ts) instead of ajv;
//   package.json  only the packages the bundle imports (and the geo database packages of a
//                 function that looks addresses up), at exact versions;
//   asn-ranges.bin in a function that looks addresses up: the ASN lists' ranges and names as
//                 typed-array columns, stamped with the package version they came from, so an
//                 instance views them in place instead of parsing the CSV lists
//                 (shared/adapters/data/packaged-asn-tables.ts), and
//   package-lock.json cut from the root lock (scripts/function-lock.ts), so the deploy installs
//                 the very versions the tests ran against;
//   ua-list/      with `--ua-list DIR` (or EARSHOT_UA_LIST), a checked copy of that OPAWG release
//                 for settings that say `"ua_list": "ua-list"` (docs/deploy.md).
// Writes every table's BigQuery schema, derived from shared/contracts/schemas, to <out>/bigquery/<table>.json
// and every view's BigQuery SQL to <out>/bigquery/views/<view>.sql ({{dataset}} for the dataset,
// {{discrepancy_threshold_pct}} and {{cuped_pre_period_days}} for the Terraform variables of those names), listed in
// <out>/bigquery/tables.json and views.json, so Terraform declares whatever tables and views the
// code defines (scripts/bigquery-artifacts.ts).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { computeBigQueryArtifacts } from './bigquery-artifacts.ts';
import { computeFunctionLock } from './function-lock.ts';
import { computeStandaloneValidators } from './standalone-validators.ts';
import { declaredSchemas } from '../shared/contracts/schemas/validator.ts';
import { opawgFileNames, tryReadOpawgDirectory } from '../shared/adapters/data/load-pattern-lists.ts';
import { geoPackages } from '../shared/adapters/data/packaged-ip-lookup.ts';
import { asnBinaryName, computeAsnBinaryFromPackage } from '../shared/adapters/data/packaged-asn-tables.ts';

const root = new globalThis.URL('..', import.meta.url).pathname;
const { values: args } = parseArgs({ options: { out: { type: 'string' }, 'ua-list': { type: 'string' } } });
const dist = resolve(args.out ?? `${root}dist`);
const uaList = args['ua-list'] ?? process.env.EARSHOT_UA_LIST;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const rootLock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'));
// Google's SDKs load their protos from disk (__dirname), google-auth-library and the gRPC transport are theirs to keep
// current, and the runtime's own functions-framework must see the registration, so they stay external and are installed by the deploy from the
// function's package.json. DuckDB (native, local only) is never reached from a function.
const external = ['@google-cloud/*', '@grpc/grpc-js', 'google-auth-library', '@duckdb/node-api'];
const functions = readdirSync(`${root}functions`, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

if (uaList) {
  // A release that would not load must fail the build, not every instance's start.
  const checked = await tryReadOpawgDirectory(uaList);
  if (!checked.ok) throw new Error(`--ua-list ${uaList}: ${checked.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
}

/** Every file under dir, as sorted paths relative to it. */
const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

const loader = `// Written by scripts/build.js: the bundle's entry.
await import('./main.js');
`;

const bundleOptions = (name) => ({
  metafile: true,
  entryPoints: { main: `${root}functions/${name}/index.ts` },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external,
  logLevel: 'warning',
});

// Validators ahead of time: every module a bundle holds (but the entries, which start the
// function) is loaded here, each declares its validators as it loads (`validatorFor`), and ajv's
// standalone code for those schemas replaces the run-time compiler (shared/contracts/schemas/schema-compiler.ts)
// in the bundles. The code is generated on every build, from the schemas as they are, never kept.
const bundledModules = new Set();
for (const name of functions) {
  const { metafile } = await build({ ...bundleOptions(name), write: false, outdir: '/nonexistent', splitting: true });
  for (const input of Object.keys(metafile.inputs)) {
    const path = resolve(root, input);
    if (path.startsWith(root) && !path.includes('/node_modules/') && /\.ts$/.test(path) && !/\/functions\/[^/]+\/index\.ts$/.test(path)) bundledModules.add(path);
  }
}
for (const path of bundledModules) await import(path);
const validatorsCode = computeStandaloneValidators(declaredSchemas());
const standaloneValidators = {
  name: 'standalone-validators',
  setup(plugin) {
    plugin.onResolve({ filter: /\/schema-compiler\.ts$/ }, () => ({ path: 'validators.js', namespace: 'standalone-validators' }));
    plugin.onLoad({ filter: /.*/, namespace: 'standalone-validators' }, () => ({ contents: validatorsCode, resolveDir: root, loader: 'js' }));
  },
};

let asnBinary;
const zipEpoch = new Date('1980-01-02T00:00:00Z');
rmSync(dist, { recursive: true, force: true });
const manifest = {};
for (const name of functions) {
  const out = `${dist}/functions/${name}`;
  mkdirSync(out, { recursive: true });
  const result = await build({
    ...bundleOptions(name),
    outdir: out,
    plugins: [standaloneValidators],
    // Each GCP adapter is imported dynamically (shared/composition/cloud-ports/): splitting keeps it, and the
    // SDK it imports, in a chunk of its own, so module load (the cold start) pays for neither.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    minify: true,
    sourcemap: 'linked',
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  writeFileSync(`${out}/index.js`, loader);
  const imported = new Set(
    Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path.split('/').slice(0, i.path.startsWith('@') ? 2 : 1).join('/'))),
  );
  // The geo databases are files, read from their packages at run time: no import names them.
  const looksUp = Object.keys(result.metafile.inputs).some((input) => input.endsWith('shared/adapters/data/packaged-ip-lookup.ts'));
  const data = looksUp ? Object.values(geoPackages) : [];
  if (looksUp) writeFileSync(`${out}/${asnBinaryName}`, (asnBinary ??= computeAsnBinaryFromPackage()));
  const { dependencies, lock } = computeFunctionLock(rootLock, name, [...[...imported].filter((d) => pkg.dependencies[d]), ...data]);
  writeFileSync(
    `${out}/package.json`,
    JSON.stringify({ name: `earshot-${name}`, private: true, type: 'module', main: 'index.js', engines: { node: '>=22' }, dependencies }, null, 2) + '\n',
  );
  writeFileSync(`${out}/package-lock.json`, JSON.stringify(lock, null, 2) + '\n');
  if (uaList) {
    mkdirSync(`${out}/ua-list`);
    for (const file of Object.values(opawgFileNames)) copyFileSync(join(uaList, file), `${out}/ua-list/${file}`);
  }
  const files = filesUnder(out);
  const hash = files.reduce((h, file) => h.update(file).update(readFileSync(`${out}/${file}`)), createHash('sha256')).digest('hex').slice(0, 16);
  const archive = `${name}-${hash}.zip`;
  // Fixed times, order and no extra attributes make the zip's bytes a function of its content, so
  // a rebuild of the same code leaves Terraform's archive object unchanged.
  for (const file of files) utimesSync(`${out}/${file}`, zipEpoch, zipEpoch);
  execFileSync('zip', ['-qXD', `${dist}/${archive}`, ...files], { cwd: out });
  manifest[name] = {
    archive,
    entry_point: name,
    bytes: files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + readFileSync(`${out}/${f}`).length, 0),
    dependencies,
  };
}
const warehouse = computeBigQueryArtifacts();
mkdirSync(`${dist}/bigquery/views`, { recursive: true });
const tableList = {};
for (const [table, { schema, ...layout }] of Object.entries(warehouse.tables)) {
  writeFileSync(`${dist}/bigquery/${layout.schema_file}`, JSON.stringify(schema, null, 2) + '\n');
  tableList[table] = layout;
}
for (const view of warehouse.views) writeFileSync(`${dist}/bigquery/${view.sql_file}`, view.sql + '\n');
writeFileSync(`${dist}/bigquery/tables.json`, JSON.stringify(tableList, null, 2) + '\n');
writeFileSync(`${dist}/bigquery/views.json`, JSON.stringify(warehouse.views.map(({ sql: _sql, ...view }) => view), null, 2) + '\n');
writeFileSync(`${dist}/functions.json`, JSON.stringify(manifest, null, 2) + '\n');
console.log(JSON.stringify(manifest));

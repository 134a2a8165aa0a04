// Extracts the argument and block names of the resource types Earshot's Terraform uses from
// @cdktf/provider-google (generated from the Google provider's schema), into a small JSON file
// the tests check every .tf file against. The package is 300 MB unpacked, too big for a
// devDependency, so the extract is committed. To refresh it:
//   (cd /tmp && npm pack @cdktf/provider-google@<version> && tar xzf cdktf-provider-google-*.tgz)
//   node --import tsx test/unit/terraform/provider-schema/extract.ts /tmp/package
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraform } from '../terraform-config.ts';

/** Argument names of a resource or block; a nested block maps to its own arguments. */
export interface ArgumentTree {
  [argument: string]: ArgumentTree | true;
}

const [packageDir] = process.argv.slice(2);
if (!packageDir) throw new Error('usage: extract.ts <unpacked @cdktf/provider-google folder>');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

// `name: someStructToTerraform(...)` or `name: cdktf.listMapper(someStructToTerraform, true)(...)`.
function fields(body: string): Array<[string, string | undefined]> {
  return [...body.matchAll(/^\s+(\w+): (.*),$/gm)].map((m) => [m[1] as string, /(?<!cdktf\.)\b(\w+ToTerraform)\b/.exec(m[2] as string)?.[1]]);
}

function extract(dir: string): { type: string; tree: ArgumentTree } | undefined {
  const sources = jsFiles(dir).map((f) => readFileSync(f, 'utf8')).join('\n');
  const type = /\.tfResourceType = "([^"]+)"/.exec(sources)?.[1];
  const synth = /synthesizeAttributes\(\) \{\s*return \{([\s\S]*?)\n\s*\};/.exec(sources)?.[1];
  if (!type || synth === undefined) return undefined;
  const structs = new Map<string, string>();
  for (const m of sources.matchAll(/function (\w+ToTerraform)\(struct\) \{[\s\S]*?return \{([\s\S]*?)\n {4}\};\n\}/g)) structs.set(m[1] as string, m[2] as string);
  const tree = (body: string, depth: number): ArgumentTree =>
    Object.fromEntries(fields(body).map(([name, fn]) => [name, fn && structs.has(fn) && depth < 8 ? tree(structs.get(fn) as string, depth + 1) : true]));
  return { type, tree: tree(synth, 0) };
}

const modules = await loadTerraform();
const used = { resource: new Set<string>(), data: new Set<string>() };
for (const m of modules.values()) {
  for (const t of Object.keys(m.resources)) if (t.startsWith('google_')) used.resource.add(t);
  for (const t of Object.keys(m.data)) used.data.add(t);
}
const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { cdktf?: { provider?: { version?: string } } }).cdktf?.provider?.version;
const out: { provider_version: string | undefined; resource: Record<string, ArgumentTree>; data: Record<string, ArgumentTree> } = { provider_version: version, resource: {}, data: {} };
for (const entry of readdirSync(join(packageDir, 'lib'), { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const kind = entry.name.startsWith('data-') ? 'data' : 'resource';
  const found = extract(join(packageDir, 'lib', entry.name));
  if (found && used[kind].has(found.type)) out[kind][found.type] = found.tree;
}
writeFileSync(new URL('./google-provider.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`provider ${version}: ${Object.keys(out.resource).length} resource types, ${Object.keys(out.data).length} data sources`);

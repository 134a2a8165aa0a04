import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

// Loaded without its type declarations: they pull the DOM library into the whole program.
const { parse } = createRequire(import.meta.url)('@cdktf/hcl2json') as {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
};

/** A block body as hcl2json gives it: nested blocks are arrays, expressions strings `${...}`. */
export type Body = Record<string, unknown>;

/** One Terraform module (a folder of .tf files), merged across its files. */
export interface TerraformModule {
  /** Folder relative to terraform/ ('' for the root module). */
  dir: string;
  /** The files' text, for the few checks about expressions. */
  source: string;
  resources: Record<string, Record<string, Body>>;
  data: Record<string, Record<string, Body>>;
  modules: Record<string, Body>;
  variables: Record<string, Body>;
  outputs: Record<string, Body>;
  locals: Body;
  terraform: Body[];
}

export const terraformDir = new URL('../../../terraform/', import.meta.url).pathname;

function tfFilesByDir(dir: string, found = new Map<string, string[]>()): Map<string, string[]> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) tfFilesByDir(path, found);
    else if (entry.name.endsWith('.tf')) found.set(dir, [...(found.get(dir) ?? []), path]);
  }
  return found;
}

const single = (blocks: unknown): Body => {
  // hcl2json wraps each labelled block body in a one-element array.
  if (!Array.isArray(blocks) || blocks.length !== 1) throw new Error(`expected one block, got ${JSON.stringify(blocks)}`);
  return blocks[0] as Body;
};

function byLabel(section: unknown): Record<string, Body> {
  return Object.fromEntries(Object.entries((section ?? {}) as Record<string, unknown>).map(([name, blocks]) => [name, single(blocks)]));
}

function byTypeAndLabel(section: unknown): Record<string, Record<string, Body>> {
  return Object.fromEntries(Object.entries((section ?? {}) as Record<string, unknown>).map(([type, named]) => [type, byLabel(named)]));
}

/** Parses every .tf file with HashiCorp's HCL parser (hcl2json, WebAssembly), one entry per module folder. */
export async function loadTerraform(): Promise<Map<string, TerraformModule>> {
  const modules = new Map<string, TerraformModule>();
  for (const [dir, files] of tfFilesByDir(terraformDir)) {
    const module: TerraformModule = {
      dir: relative(terraformDir, dir),
      source: '',
      resources: {},
      data: {},
      modules: {},
      variables: {},
      outputs: {},
      locals: {},
      terraform: [],
    };
    for (const file of files.sort()) {
      const text = readFileSync(file, 'utf8');
      const parsed = await parse(file, text);
      module.source += text;
      for (const [type, named] of Object.entries(byTypeAndLabel(parsed.resource))) Object.assign((module.resources[type] ??= {}), named);
      for (const [type, named] of Object.entries(byTypeAndLabel(parsed.data))) Object.assign((module.data[type] ??= {}), named);
      Object.assign(module.modules, byLabel(parsed.module));
      Object.assign(module.variables, byLabel(parsed.variable));
      Object.assign(module.outputs, byLabel(parsed.output));
      for (const locals of (parsed.locals ?? []) as Body[]) Object.assign(module.locals, locals);
      module.terraform.push(...((parsed.terraform ?? []) as Body[]));
    }
    modules.set(module.dir, module);
  }
  return modules;
}

/** The module a root `module` block calls (its `source` is `./modules/<name>`). */
export function calledModule(all: Map<string, TerraformModule>, call: Body): TerraformModule {
  const source = String(call.source).replace(/^\.\//, '');
  const module = all.get(source);
  if (!module) throw new Error(`module source ${source} not found`);
  return module;
}

/** Every resource of a type across all modules, as [module dir, resource name, body]. */
export function resourcesOfType(all: Map<string, TerraformModule>, type: string): Array<[string, string, Body]> {
  return [...all.values()].flatMap((m) => Object.entries(m.resources[type] ?? {}).map(([name, body]): [string, string, Body] => [m.dir, name, body]));
}

/** The single nested block `name` of a body (hcl2json gives nested blocks as arrays). */
export function block(body: Body, name: string): Body {
  const blocks = body[name];
  if (!Array.isArray(blocks) || blocks.length !== 1) throw new Error(`expected one ${name} block in ${JSON.stringify(body).slice(0, 200)}`);
  return blocks[0] as Body;
}

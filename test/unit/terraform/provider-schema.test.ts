import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArgumentTree } from './provider-schema/extract.ts';
import { loadTerraform, type Body, type TerraformModule } from './terraform-config.ts';

interface ProviderSchema {
  provider_version: string;
  resource: Record<string, ArgumentTree>;
  data: Record<string, ArgumentTree>;
}

// Extracted from @cdktf/provider-google (see provider-schema/extract.ts for how and why).
const schema = JSON.parse(readFileSync(new URL('./provider-schema/google-provider.json', import.meta.url), 'utf8')) as ProviderSchema;
const metaArguments = new Set(['for_each', 'count', 'depends_on', 'lifecycle', 'provider']);

/** Every argument path in a body the schema does not know, e.g. `service_config.secret_env`. */
function unknownArguments(body: Body, tree: ArgumentTree, path = ''): string[] {
  return Object.entries(body).flatMap(([name, value]) => {
    if (!path && metaArguments.has(name)) return [];
    // `dynamic "<block>" { for_each, content { ... } }` generates <block>: check its content as one.
    if (name === 'dynamic') {
      return Object.entries(value as Record<string, Body[]>).flatMap(([generated, dynamics]) =>
        dynamics.flatMap((d) => unknownArguments({ [generated]: d.content ?? [] }, tree, path)),
      );
    }
    const known = tree[name];
    if (!known) return [`${path}${name}`];
    // A nested block parses as an array of bodies; an argument of object type is checked no deeper.
    if (known === true || !Array.isArray(value)) return [];
    return (value as Body[]).flatMap((nested) => unknownArguments(nested, known, `${path}${name}.`));
  });
}

let modules: Map<string, TerraformModule>;
beforeAll(async () => {
  modules = await loadTerraform();
});

describe(`Terraform against the Google provider ${schema.provider_version} schema`, () => {
  it('pins the provider release the schema comes from', () => {
    const root = modules.get('') as TerraformModule;
    const required = root.terraform.flatMap((t) => (t.required_providers ?? []) as Body[]);
    const google = required.map((r) => r.google as Body).find(Boolean);
    const [major, minor] = schema.provider_version.split('.');
    expect(google?.version).toBe(`~> ${major}.${minor}`);
  });

  it('uses only arguments and blocks the provider has, in every resource and data source', () => {
    const problems: string[] = [];
    for (const m of modules.values()) {
      for (const [kind, section] of [['resource', m.resources], ['data', m.data]] as const) {
        for (const [type, named] of Object.entries(section)) {
          if (!type.startsWith('google_')) continue;
          const tree = schema[kind][type];
          if (!tree) {
            problems.push(`${kind} ${type}: not in the extract (re-run provider-schema/extract.ts)`);
            continue;
          }
          for (const [name, body] of Object.entries(named)) {
            problems.push(...unknownArguments(body, tree).map((arg) => `${m.dir || '.'}: ${type}.${name}: ${arg}`));
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds a misspelt argument (the check is not vacuous)', () => {
    const tree = schema.resource.google_pubsub_subscription as ArgumentTree;
    expect(unknownArguments({ name: 'x', retry_policy: [{ minimum_backof: '10s' }], ack_deadline: 10 }, tree)).toEqual([
      'retry_policy.minimum_backof',
      'ack_deadline',
    ]);
    const dynamic = { dynamic: { retry_policy: [{ for_each: '${x}', content: [{ maximum_backof: '600s' }] }] } };
    expect(unknownArguments(dynamic, tree)).toEqual(['retry_policy.maximum_backof']);
  });
});

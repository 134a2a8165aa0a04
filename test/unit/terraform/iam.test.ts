import { beforeAll, describe, expect, it } from 'vitest';
import { readFunctionFacts, type FunctionFacts } from './code-facts.ts';
import { block, loadTerraform, resourcesOfType, type Body, type TerraformModule } from './terraform-config.ts';

let facts: FunctionFacts[];
let modules: Map<string, TerraformModule>;
let root: TerraformModule;

beforeAll(async () => {
  facts = await readFunctionFacts();
  modules = await loadTerraform();
  root = modules.get('') as TerraformModule;
});

/** Every IAM grant resource in every module, with its role and member expressions. */
function grants(): Array<{ where: string; type: string; role: string; member: string; body: Body }> {
  return [...modules.values()].flatMap((m) =>
    Object.entries(m.resources)
      .filter(([type]) => /_iam_(member|binding|policy)$/.test(type))
      .flatMap(([type, named]) =>
        Object.entries(named).map(([name, body]) => ({ where: `${m.dir || '.'}/${type}.${name}`, type, role: String(body.role), member: String(body.member), body })),
      ),
  );
}

// Narrow predefined roles, each granted on the one resource that needs it.
const allowedRoles = new Set([
  'roles/pubsub.publisher',
  'roles/pubsub.subscriber',
  'roles/secretmanager.secretAccessor',
  'roles/bigquery.dataEditor',
  'roles/bigquery.dataViewer',
  'roles/bigquery.jobUser',
  'roles/datastore.user',
  'roles/run.invoker',
  'roles/iam.serviceAccountTokenCreator',
  'roles/storage.objectViewer',
  'roles/artifactregistry.writer',
  'roles/logging.logWriter',
]);

describe('Terraform grants', () => {
  it('gives each function the access its code needs, no more: topics, state, warehouse', () => {
    const declared = root.locals.functions as Record<string, Body>;
    for (const f of facts) {
      const access = declared[f.name] as Body;
      expect([...(access.publishes as string[])].sort(), `${f.name} publishes`).toEqual(f.publishes);
      expect(access.state, `${f.name} state`).toBe(f.ports.includes('state'));
      expect(access.warehouse, `${f.name} warehouse`).toBe(f.ports.includes('warehouse'));
      expect(access.reads_warehouse ?? false, `${f.name} reads_warehouse`).toBe(f.ports.includes('reports'));
      expect(f.ports.includes('bus'), `${f.name} bus`).toBe(f.publishes.length > 0);
    }
  });

  it('grants from those access columns only', () => {
    const calls = root.modules as Record<string, Body>;
    expect(calls.pubsub?.publishers).toContain('if contains(local.functions[pair[1]].publishes, pair[0])');
    expect(calls.state?.users).toBe('${{ for name, fn in local.functions : name => local.members[name] if fn.state }}');
    expect(calls.warehouse?.writers).toBe('${{ for name, fn in local.functions : name => local.members[name] if fn.warehouse }}');
    expect(calls.warehouse?.readers).toBe('${{ for name, fn in local.functions : name => local.members[name] if try(fn.reads_warehouse, false) }}');
    expect(calls.secrets?.readers).toBe(
      '${{ for pair in setproduct(keys(local.secrets), keys(local.functions)) : "${pair[0]} ${pair[1]}" => { secret = pair[0], member = local.members[pair[1]] } if contains(local.functions[pair[1]].secrets, pair[0]) }}',
    );
  });

  it('uses only narrow roles, additive members, never owner, editor or an admin role', () => {
    const all = grants();
    expect(all.length).toBeGreaterThan(10);
    for (const grant of all) {
      expect(grant.type, grant.where).toMatch(/_iam_member$/);
      expect(allowedRoles.has(grant.role), `${grant.where}: ${grant.role}`).toBe(true);
    }
    expect(JSON.stringify([...modules.values()].map((m) => m.source))).not.toMatch(/roles\/(owner|editor|viewer)|\.admin"/);
  });

  it('grants at project level only the Firestore role narrowed to its database, query jobs to the warehouse readers, and the build log writer', () => {
    const project = resourcesOfType(modules, 'google_project_iam_member');
    expect(project.map(([, , body]) => body.role).sort()).toEqual(['roles/bigquery.jobUser', 'roles/datastore.user', 'roles/logging.logWriter']);
    for (const [dir, name, body] of project) {
      if (body.role === 'roles/bigquery.jobUser') {
        // Running a job reads nothing by itself; what a job may read is the dataset grant below.
        expect([dir, body.for_each, body.member], name).toEqual(['modules/warehouse', '${var.readers}', '${each.value}']);
      } else if (body.role === 'roles/datastore.user') {
        expect(dir, name).toBe('modules/state');
        expect(String(block(body, 'condition').expression)).toContain('/databases/${var.database_id}');
      } else {
        expect(body.member, name).toBe('serviceAccount:${var.build_service_account}');
      }
    }
  });

  it('opens only the HTTP functions to everyone, and only to invoke them', () => {
    const open = grants().filter((g) => g.member.includes('allUsers') || g.member.includes('allAuthenticatedUsers'));
    expect(open.map((g) => [g.where, g.role])).toEqual([['modules/functions/google_cloud_run_v2_service_iam_member.public', 'roles/run.invoker']]);
    expect(open[0]?.body.for_each).toBe('${local.http}');
    const pusher = resourcesOfType(modules, 'google_cloud_run_v2_service_iam_member').find(([, name]) => name === 'pusher');
    expect(pusher?.[2]).toMatchObject({ for_each: '${local.pushed}', member: '${local.push_account}' });
  });

  it('grants the secrets, topics and tables on the resource itself', () => {
    const secret = grants().filter((g) => g.role === 'roles/secretmanager.secretAccessor');
    expect(secret.map((g) => g.type)).toEqual(['google_secret_manager_secret_iam_member']);
    // One grant per (secret, function) pair of the readers map, on that one secret.
    expect(secret[0]?.body).toMatchObject({
      for_each: '${var.readers}',
      secret_id: '${google_secret_manager_secret.secret[each.value.secret].secret_id}',
      member: '${each.value.member}',
    });
    const publish = grants().filter((g) => g.role === 'roles/pubsub.publisher');
    expect(new Set(publish.map((g) => g.type))).toEqual(new Set(['google_pubsub_topic_iam_member']));
    const tables = grants().filter((g) => g.role === 'roles/bigquery.dataEditor');
    expect(new Set(tables.map((g) => g.type))).toEqual(new Set(['google_bigquery_table_iam_member']));
    const viewers = grants().filter((g) => g.role === 'roles/bigquery.dataViewer');
    expect(viewers.map((g) => [g.type, g.body.for_each, g.body.dataset_id])).toEqual([
      ['google_bigquery_dataset_iam_member', '${var.readers}', '${google_bigquery_dataset.warehouse.dataset_id}'],
    ]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { cloudEnv } from '../../../shared/composition/runtime.ts';
import { readFunctionFacts, type FunctionFacts } from './code-facts.ts';
import { block, calledModule, loadTerraform, type Body, type TerraformModule } from './terraform-config.ts';

let facts: FunctionFacts[];
let root: TerraformModule;
let functionsModule: TerraformModule;
let declared: Record<string, Body>;
let fn: Body;

beforeAll(async () => {
  facts = await readFunctionFacts();
  const modules = await loadTerraform();
  root = modules.get('') as TerraformModule;
  functionsModule = calledModule(modules, root.modules.functions as Body);
  declared = root.locals.functions as Record<string, Body>;
  fn = functionsModule.resources.google_cloudfunctions2_function?.function as Body;
});

/** The content of the dynamic block that mounts a function's secrets. */
function secretMount(service: Body): Body {
  return block(block(service.dynamic as Body, 'secret_environment_variables'), 'content');
}

describe('Terraform functions against the code', () => {
  it('declares exactly the functions of the catalog', () => {
    expect(Object.keys(declared).sort()).toEqual(facts.map((f) => f.name).sort());
  });

  it('gives each function the entry point its index.ts registers', () => {
    for (const f of facts) expect(declared[f.name]?.entry_point, f.name).toBe(f.entryPoint);
    expect(block(fn, 'build_config').entry_point).toBe('${each.value.entry_point}');
  });

  it('pushes each Pub/Sub function from its catalog topic, and only functions that serve pushes', () => {
    for (const f of facts) {
      expect(declared[f.name]?.trigger_topic ?? undefined, f.name).toBe(f.triggerTopic);
      // Every function is an http() one: Pub/Sub pushes are decoded by shared/platform/messaging/framework-pubsub.ts,
      // so a failure is our one JSON log line, not functions-framework's stack on stderr.
      expect(f.signature, f.name).toBe('http');
      expect(f.servesPush, f.name).toBe(f.triggerTopic !== undefined);
    }
  });

  it('deploys every function as gen2 on nodejs22 from the build archives', () => {
    expect(fn.for_each).toBe('${var.functions}');
    expect(block(fn, 'build_config').runtime).toBe('nodejs22');
    expect(functionsModule.source).toContain('jsondecode(file("${var.dist_dir}/functions.json"))');
  });

  it('sets every environment variable the code reads', () => {
    const call = root.modules.functions as Body;
    const plain = Object.keys(call.environment as Body);
    const secrets = Object.values(root.locals.secrets as Record<string, Body>).map((s) => s.env_var as string);
    const service = block(fn, 'service_config');
    expect(service.environment_variables).toBe('${var.environment}');
    expect(secretMount(service).key).toBe('${var.secrets[secret_environment_variables.value].env_var}');
    expect(call.secrets).toBe(
      '${{ for name, s in local.secrets : name => { env_var = s.env_var, secret = module.secrets.secret_ids[name], version = module.secrets.versions[name] } }}',
    );
    const set = [...plain, ...secrets].sort();
    // `*_EMULATOR_HOST` point the adapters at emulators in tests and benchmarks; never set in the cloud.
    const read = [...new Set([...Object.values(cloudEnv), ...facts.flatMap((f) => f.envReads)])].filter((name) => !name.endsWith('_EMULATOR_HOST')).sort();
    expect(set).toEqual(read);
  });

  it('mounts each function only its own secrets, as pinned versions, never latest', () => {
    const service = block(fn, 'service_config');
    const dynamic = service.dynamic as Body;
    expect(Object.keys(dynamic)).toEqual(['secret_environment_variables']);
    expect(block(dynamic, 'secret_environment_variables').for_each).toBe('${toset(each.value.secrets)}');
    expect(service.secret_environment_variables, 'no secret mounted for every function alike').toBeUndefined();
    expect(secretMount(service).version).toBe('${var.secrets[secret_environment_variables.value].version}');
    expect(root.source + functionsModule.source).not.toMatch(/version\s*=\s*"latest"/);
  });

  it('scales each function within what Cloud Run allows and keeps Pub/Sub work under the ack deadline', () => {
    const push = functionsModule.resources.google_pubsub_subscription?.push as Body;
    for (const [name, settings] of Object.entries(declared)) {
      const { concurrency, cpu, max_instances: max, timeout_seconds: timeout, memory } = settings as Record<string, number | string>;
      // Cloud Run serves more than one request at a time only with at least one whole CPU.
      if (Number(concurrency) > 1) expect(Number(cpu), name).toBeGreaterThanOrEqual(1);
      expect(Number(max), name).toBeGreaterThan(0);
      expect(String(memory), name).toMatch(/^\d+(Mi|Gi)$/);
      if (settings.trigger_topic) expect(Number(timeout), name).toBeLessThanOrEqual(Number(push.ack_deadline_seconds));
      else expect(Number(timeout), name).toBeLessThanOrEqual(60);
    }
  });
});

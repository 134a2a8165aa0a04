import { beforeAll, describe, expect, it } from 'vitest';
import { cloudEnv } from '../../../shared/runtime.ts';
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

describe('Terraform functions against the code', () => {
  it('declares exactly the functions of the catalog', () => {
    expect(Object.keys(declared).sort()).toEqual(facts.map((f) => f.name).sort());
  });

  it('gives each function the entry point its index.ts registers', () => {
    for (const f of facts) expect(declared[f.name]?.entry_point, f.name).toBe(f.entryPoint);
    expect(block(fn, 'build_config').entry_point).toBe('${each.value.entry_point}');
  });

  it('pushes each Pub/Sub function from its catalog topic, and only cloudEvent functions', () => {
    for (const f of facts) {
      expect(declared[f.name]?.trigger_topic ?? undefined, f.name).toBe(f.triggerTopic);
      expect(f.signature, f.name).toBe(f.triggerTopic ? 'cloudEvent' : 'http');
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
    const secret = (call.config_secret as Body).env_var as string;
    const service = block(fn, 'service_config');
    expect(service.environment_variables).toBe('${var.environment}');
    expect(block(service, 'secret_environment_variables').key).toBe('${var.config_secret.env_var}');
    const set = [...plain, secret].sort();
    const read = [...new Set([...Object.values(cloudEnv), ...facts.flatMap((f) => f.envReads)])].sort();
    expect(set).toEqual(read);
  });

  it('mounts the configuration secret as a pinned version, never latest', () => {
    const service = block(fn, 'service_config');
    expect(block(service, 'secret_environment_variables').version).toBe('${var.config_secret.version}');
    expect((root.modules.functions as Body).config_secret).toMatchObject({ version: '${module.secrets.config_version}' });
    expect(root.source).not.toMatch(/version\s*=\s*"latest"/);
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

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpFunctions } from '../../../shared/composition/function-catalog.ts';
import { repoRoot } from './code-facts.ts';
import { block, calledModule, loadTerraform, type Body, type TerraformModule } from './terraform-config.ts';

/** Every `log.<level>('message', { fields })` call in the functions and the shared library: message -> field names of each call. */
function readLogCalls(): Map<string, string[][]> {
  const calls = new Map<string, string[][]>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  for (const file of [...walk(`${repoRoot}functions`), ...walk(`${repoRoot}shared`)]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\.(?:debug|info|warn|error)\(\s*'([^']+)'\s*(?:,\s*\{([^}]*)\})?/g)) {
      const fields = [...(m[2] ?? '').matchAll(/(?:^|,)\s*(\w+)\s*(?=[:,]|$)/g)].map((f) => f[1] as string);
      calls.set(m[1] as string, [...(calls.get(m[1] as string) ?? []), fields]);
    }
  }
  return calls;
}

let root: TerraformModule;
let monitoring: TerraformModule;
const logCalls = readLogCalls();

beforeAll(async () => {
  const modules = await loadTerraform();
  root = modules.get('') as TerraformModule;
  monitoring = calledModule(modules, root.modules.monitoring as Body);
});

describe('Terraform monitoring against the code', () => {
  it('counts log lines the code writes, and labels them by fields every such line has', () => {
    const metrics = Object.entries(monitoring.resources.google_logging_metric ?? {});
    expect(metrics.length).toBeGreaterThan(0);
    for (const [name, metric] of metrics) {
      const filter = String(metric.filter);
      const messages = [...(/jsonPayload\.message=\(?([^)]*)\)?/.exec(filter)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] as string);
      expect(messages.length, name).toBeGreaterThan(0);
      const labels = Object.values((metric.label_extractors ?? {}) as Record<string, string>).flatMap((e) => [...e.matchAll(/EXTRACT\(jsonPayload\.(\w+)\)/g)].map((m) => m[1] as string));
      for (const message of messages) {
        const calls = logCalls.get(message);
        expect(calls, `${name}: nothing logs "${message}"`).toBeDefined();
        for (const fields of calls ?? []) for (const label of labels) expect(fields, `${name}: "${message}" without ${label}`).toContain(label);
      }
    }
  });

  it('finds a log line the code does not write (the check is not vacuous)', () => {
    expect(logCalls.get('verification callback refused')).toEqual([['vendor', 'reason']]);
    expect(logCalls.has('no such log line')).toBe(false);
  });

  it('watches every function, and the HTTP ones for intake latency', () => {
    const call = root.modules.monitoring as Body;
    expect(call.functions).toBe('${keys(local.functions)}');
    for (const name of call.intake_functions as string[]) expect(httpFunctions as readonly string[], name).toContain(name);
    expect(call.replay_subscriptions).toBe('${module.pubsub.dead_letter_replay_subscriptions}');
  });

  it('alerts on the dead-letter backlog, the 5xx rate and intake latency', () => {
    const policies = monitoring.resources.google_monitoring_alert_policy ?? {};
    const filters = (name: string) => ((policies[name]?.conditions ?? []) as Body[]).map((c) => String(block(c, 'condition_threshold').filter));
    expect(filters('dead_letters').join('\n')).toMatch(/subscription\/num_undelivered_messages[\s\S]*logging\.googleapis\.com\/user\/\$\{google_logging_metric\.dead_lettered\.name\}/);
    expect(filters('server_errors')).toEqual([expect.stringMatching(/run\.googleapis\.com\/request_count.*response_code_class = \\?"5xx\\?"/)]);
    expect(filters('intake_latency')).toEqual([expect.stringContaining('run.googleapis.com/request_latencies')]);
  });
});

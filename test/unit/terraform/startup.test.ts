import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFunctionFacts, repoRoot, type FunctionFacts } from './code-facts.ts';
import { block, calledModule, loadTerraform, type Body } from './terraform-config.ts';

let facts: FunctionFacts[];
let declared: Record<string, Body>;
let fn: Body;

beforeAll(async () => {
  facts = await readFunctionFacts();
  const modules = await loadTerraform();
  const root = modules.get('') as { locals: Body; modules: Record<string, Body> };
  declared = root.locals.functions as Record<string, Body>;
  fn = calledModule(modules, root.modules.functions as Body).resources.google_cloudfunctions2_function?.function as Body;
});

// google_cloudfunctions2_function has no probe argument; the startup probe is Cloud Run's default
// TCP probe, which means "configuration valid" only because each entry validates before listening.
describe('the startup probe of every function', () => {
  it('covers every function of the catalog: one google_cloudfunctions2_function each, no other way to deploy one', () => {
    expect(fn.for_each).toBe('${var.functions}');
    expect(Object.keys(declared).sort()).toEqual(facts.map((f) => f.name).sort());
  });

  it('fails the apply unless the new revision passed it: a postcondition on the function being ACTIVE', () => {
    const postcondition = block(block(fn, 'lifecycle'), 'postcondition');
    expect(postcondition.condition).toBe('${self.state == "ACTIVE"}');
    expect(String(postcondition.error_message)).toMatch(/startup probe/);
  });

  it('moves traffic only to a revision that passed it', () => {
    expect(block(fn, 'service_config').all_traffic_on_latest_revision).toBe(true);
  });

  it('checks the configuration: every entry builds its handler before functions-framework listens', () => {
    for (const f of facts) {
      const index = readFileSync(`${repoRoot}functions/${f.name}/index.ts`, 'utf8');
      // Top-level await: the module (which functions-framework loads before it listens) ends only
      // once the configuration is valid and the handler built, or the process has exited 1.
      expect(index, f.name).toMatch(new RegExp(`^http\\('${f.entryPoint}', await start(Http|Pubsub)Function\\('${f.name}', `, 'm'));
    }
  });
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './code-facts.ts';
import { loadTerraform } from './terraform-config.ts';

interface Step {
  id: string;
  name: string;
  entrypoint?: string;
  dir?: string;
  args?: string[];
  env?: string[];
  waitFor?: string[];
}

interface CloudBuild {
  substitutions: Record<string, string>;
  options: Record<string, unknown>;
  steps: Step[];
  artifacts: { objects: { location: string; paths: string[] } };
}

const text = readFileSync(`${repoRoot}cloudbuild.yaml`, 'utf8');
const config = parse(text) as CloudBuild;
const ids = config.steps.map((s) => s.id);
const step = (id: string) => config.steps.find((s) => s.id === id) as Step;
const script = (id: string) => (step(id).args ?? []).join(' ');
const before = (a: string, b: string) => expect(ids.indexOf(a), `${a} before ${b}`).toBeLessThan(ids.indexOf(b));

describe('cloudbuild.yaml', () => {
  let requiredVersion = '';
  beforeAll(async () => {
    const root = (await loadTerraform()).get('');
    requiredVersion = String(root?.terraform.find((t) => t.required_version)?.required_version);
  });

  it('runs install, lint, type check, tests, build, then Terraform fmt, init, validate, plan and apply, in that order', () => {
    const order = ['install', 'lint', 'typecheck', 'test', 'build', 'terraform-fmt', 'terraform-init', 'terraform-validate', 'terraform-plan', 'terraform-apply'];
    for (let i = 1; i < order.length; i++) before(order[i - 1] as string, order[i] as string);
    expect(new Set(ids).size).toBe(ids.length);
    // No step waits on a later one, so the list order is the run order.
    for (const s of config.steps) for (const w of s.waitFor ?? []) if (w !== '-') before(w, s.id);
  });

  it('installs with npm ci from a cache keyed by the lock file, restored before and saved after', () => {
    expect(script('install')).toMatch(/npm ci --cache \/workspace\/\.npm/);
    before('restore-npm-cache', 'install');
    before('install', 'save-npm-cache');
    for (const id of ['restore-npm-cache', 'save-npm-cache']) expect(script(id)).toContain('sha256sum package-lock.json');
  });

  it('lints, type checks and tests with the package scripts, tests in the image that has the emulators', () => {
    const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { scripts: Record<string, string> };
    expect(step('lint').args).toEqual(['run', 'lint']);
    expect(step('typecheck').args).toEqual(['run', 'typecheck']);
    expect(step('test').name).toMatch(/^gcr\.io\/google\.com\/cloudsdktool\/cloud-sdk:emulators$/);
    expect(pkg.scripts.test).toBe('vitest run');
    expect(script('test')).toContain('node_modules/vitest/vitest.mjs run');
    expect(script('build')).toContain('npm run build');
  });

  it('checks formatting and validates before planning, and keeps the plan as an artifact', () => {
    expect(step('terraform-fmt').args).toEqual(['fmt', '-check', '-recursive']);
    expect(step('terraform-validate').args).toEqual(['validate']);
    for (const id of ['terraform-fmt', 'terraform-init', 'terraform-validate', 'terraform-plan', 'terraform-apply']) expect(step(id).dir, id).toBe('terraform');
    expect(script('terraform-plan')).toContain('terraform plan -input=false -out=tfplan');
    expect(config.artifacts.objects.paths).toContain('terraform/tfplan');
    expect(config.artifacts.objects.location).toContain('${BUILD_ID}');
  });

  it('applies the saved plan only on the deploy branch, main by default', () => {
    expect(config.substitutions._DEPLOY_BRANCH).toBe('main');
    const apply = script('terraform-apply');
    expect(apply).toMatch(/if \[ "\$\{BRANCH_NAME\}" = "\$\{_DEPLOY_BRANCH\}" \]; then\s+terraform apply -input=false tfplan\s+else/);
    const applies = config.steps.filter((s) => (s.args ?? []).join(' ').includes('terraform apply') || s.args?.[0] === 'apply');
    expect(applies.map((s) => s.id)).toEqual(['terraform-apply']);
  });

  it('declares and documents every substitution it uses', () => {
    const used = new Set([...text.matchAll(/\$\{(_[A-Z_]+)\}/g)].map((m) => m[1] as string));
    expect([...used].sort()).toEqual(Object.keys(config.substitutions).sort());
    for (const name of used) expect(text, name).toMatch(new RegExp(`^#\\s+${name}\\s+\\S`, 'm'));
  });

  it('runs a Terraform release the configuration accepts', () => {
    const image = /^hashicorp\/terraform:(\d+)\.(\d+)$/.exec(step('terraform-plan').name);
    const minimum = /^>=\s*(\d+)\.(\d+)$/.exec(requiredVersion);
    expect(image && minimum).toBeTruthy();
    const [major, minor] = [Number(image?.[1]), Number(image?.[2])];
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(Number(minimum?.[1]) * 1000 + Number(minimum?.[2]));
    expect(new Set(config.steps.filter((s) => s.name.startsWith('hashicorp/terraform')).map((s) => s.name)).size).toBe(1);
  });
});

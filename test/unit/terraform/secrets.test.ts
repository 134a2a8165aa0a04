import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretEnv, settingsEnv, type SecretConcern } from '../../../shared/platform/config/merge-secrets.ts';
import { readFunctionFacts, repoRoot, secretReaders, type FunctionFacts } from './code-facts.ts';
import { block, calledModule, loadTerraform, type Body, type TerraformModule } from './terraform-config.ts';

let facts: FunctionFacts[];
let root: TerraformModule;
let secretsModule: TerraformModule;
let declared: Record<string, Body>;
let secrets: Record<string, Body>;

beforeAll(async () => {
  facts = await readFunctionFacts();
  const modules = await loadTerraform();
  root = modules.get('') as TerraformModule;
  secretsModule = calledModule(modules, root.modules.secrets as Body);
  declared = root.locals.functions as Record<string, Body>;
  secrets = root.locals.secrets as Record<string, Body>;
});

/** Terraform's name of a secret concern: `platformKeys` is `platform_keys`; the settings document is `config`. */
const terraformName = (concern: SecretConcern) => concern.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The secrets a function's code needs: the settings if its handler takes the configuration, then the secret fields it reads. */
const needs = (f: FunctionFacts) => [...(f.ports.includes('config') ? ['config'] : []), ...f.secretReads.map(terraformName)].sort();

/** Who may read each secret: the functions whose `secrets` column lists it (the readers map of main.tf). */
const readersOf = (secret: string) =>
  Object.entries(declared)
    .filter(([, fn]) => (fn.secrets as string[]).includes(secret))
    .map(([name]) => name)
    .sort();

describe('Terraform secrets against the code', () => {
  it('declares one secret per concern, each mounted as the variable the runtime reads', () => {
    const expected = {
      config: settingsEnv,
      ...Object.fromEntries((Object.keys(secretEnv) as SecretConcern[]).map((concern) => [terraformName(concern), secretEnv[concern]])),
    };
    expect(Object.fromEntries(Object.entries(secrets).map(([name, s]) => [name, s.env_var]))).toEqual(expected);
    const ids = Object.values(secrets).map((s) => String(s.secret_id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^earshot-[a-z-]+$/);
    expect((root.modules.secrets as Body).secret_ids).toBe('${{ for name, s in local.secrets : name => s.secret_id }}');
    expect(secretsModule.resources.google_secret_manager_secret?.secret?.for_each).toBe('${var.secret_ids}');
  });

  it('gives each function exactly the secrets its code reads', () => {
    for (const f of facts) expect([...(declared[f.name]?.secrets as string[])].sort(), f.name).toEqual(needs(f));
  });

  it('lets no function read a secret it does not use', () => {
    for (const secret of Object.keys(secrets)) {
      const users = facts.filter((f) => needs(f).includes(secret)).map((f) => f.name).sort();
      expect(readersOf(secret), secret).toEqual(users);
      expect(users.length, `${secret} is read by some function`).toBeGreaterThan(0);
    }
  });

  // What the code says today, spelt out: a change in a handler shows up here first.
  it('derives the table from the handlers', () => {
    const table = Object.fromEntries(facts.map((f) => [f.name, needs(f)]));
    expect(table).toEqual({
      beacon: ['config', 'platform_keys', 'privacy_key'],
      verification: ['config', 'vendor_secrets'],
      conversion: ['advertiser_keys', 'config', 'privacy_key', 'study_salts'],
      assign: ['config', 'study_salts'],
      reports: ['advertiser_keys', 'analyst_keys', 'config', 'platform_keys'],
      count: ['config'],
      attribute: ['config'],
      warehouse: [],
      cdnlogs: ['config', 'privacy_key'],
      logobjects: ['config', 'privacy_key'],
    });
    // attribute takes advertisers' attribution settings, never their keys.
    expect(facts.find((f) => f.name === 'attribute')?.configSections).toEqual(['advertisers']);
    expect(readFileSync(`${repoRoot}shared/domain/attribution/attribution-rules.ts`, 'utf8')).not.toMatch(/\.keys\b/);
  });

  const readerCases: Array<[SecretConcern, string, boolean]> = [
    ['platformKeys', 'const platformKeys = new BearerKeys(deps.config.platforms);', true],
    ['platformKeys', 'const platforms = new Set(deps.config.platforms.map((p) => p.id));', false],
    ['advertiserKeys', 'const advertiserKeys = new BearerKeys(deps.config.advertisers);', true],
    ['advertiserKeys', 'new Map(deps.config.advertisers.map((a) => [a.id, computeAttributionRules(a)]))', false],
    ['analystKeys', 'this.#analysts = new BearerKeys(config.analysts);', true],
    ['vendorSecrets', 'const vendors = computeVendorDirectory(deps.config.vendors);', true],
    ['studySalts', 'const { arm, bucket } = computeAssignment(study, identity);', true],
    ['studySalts', 'const studies = new Map(deps.config.studies.map((s) => [s.id, s]));', false],
    ['privacyKey', 'new HouseholdKeyer(deps.config.privacy.master_key)', true],
    ['privacyKey', "import type { EarshotConfig } from '../schemas/config.ts';", false],
  ];
  for (const [concern, line, reads] of readerCases) {
    it(`${reads ? 'sees' : 'does not see'} a read of ${concern} in \`${line.slice(0, 60)}\``, () => {
      expect(secretReaders[concern].test(line)).toBe(reads);
    });
  }

  it('pins a version of every secret without reading its payload', () => {
    const pinned = secretsModule.data.google_secret_manager_secret_version?.pinned as Body;
    expect(pinned).toMatchObject({ for_each: '${var.secret_ids}', fetch_secret_data: false });
    expect(String(pinned.version)).toContain('var.versions[each.key]');
    expect((root.modules.secrets as Body).versions).toBe('${var.secret_versions}');
    // The root variable accepts exactly the concerns there are.
    const condition = String(block(root.variables.secret_versions as Body, 'validation').condition);
    const listed = /contains\(\[([^\]]+)\]/.exec(condition)?.[1] ?? '';
    expect([...listed.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]).sort()).toEqual(Object.keys(secrets).sort());
  });
});

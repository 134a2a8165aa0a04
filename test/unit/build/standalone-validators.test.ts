import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeStandaloneValidators } from '../../../scripts/standalone-validators.ts';
import { EarshotConfig } from '../../../shared/contracts/schemas/config.ts';
import { BeaconBatch } from '../../../shared/contracts/schemas/beacon-message.ts';
import { BeaconRecord } from '../../../shared/contracts/schemas/beacon-record.ts';
import { ConversionRecord } from '../../../shared/contracts/schemas/conversion-record.ts';
import { Tables } from '../../../shared/contracts/schemas/rows.ts';
import { compileSchema } from '../../../shared/contracts/schemas/schema-compiler.ts';
import { VerificationBatch } from '../../../shared/contracts/schemas/verification.ts';
import { enrichedBeacon } from '../../support/beacons.ts';
import { fixedConfig } from '../../support/fixed-config.ts';
import { repoRoot } from '../terraform/code-facts.ts';

// The validators the build generates, bundled as the build bundles them, against ajv compiling
// the same schema in this process: the same verdict, the same errors, the same defaults filled in.
const work = mkdtempSync(join(tmpdir(), 'earshot-validators-'));
let generated: { compileSchema: (schema: TSchema) => ValidateFunction };

const ts = '2026-11-20T10:00:00Z';
const beacon = { type: 'download', ts, show_id: 's1', episode_id: 'e1', ip: '203.0.113.9', user_agent: 'Overcast/3.0' };
const cases: Array<[string, TSchema, unknown[]]> = [
  ['the configuration', EarshotConfig, [fixedConfig, {}, { platforms: 'none' }, { ...fixedConfig, counting: { window: 'bogus' } }, { ...fixedConfig, extra: 1 }]],
  [
    'a beacon record',
    BeaconRecord,
    [beacon, { ...beacon, ts: '2026-13-01T00:00:00Z' }, { ...beacon, ts: '2016-12-31T23:59:60Z' }, { ...beacon, ip: '999.1.1.1' }, { ...beacon, ip: '2001:db8::1' }, { ...beacon, type: 'x' }, null, 'text', []],
  ],
  ['a conversion record', ConversionRecord, [{ event: 'purchase', ts, ip: '203.0.113.9', user_agent: 'UA', value: 1, currency: 'USD' }, { event: 'purchase', ts: 'yesterday' }, {}]],
  ['a beacons message', BeaconBatch, [{ records: [enrichedBeacon({ ts, received_at: ts })] }, { records: [] }, { records: [{ event_id: 1 }] }]],
  ['a verification batch', VerificationBatch, [{ events: [{ impression_id: 'e1', campaign_id: 'c1', measured_at: ts, ivt: 'valid' }] }, { events: [{ ivt: 'maybe' }] }]],
  [
    'a dead_letters row',
    Tables.dead_letters,
    [{ insert_id: 'count/m1', failed_at: ts, source: 'count', message_id: 'm1', reason: 'not JSON', payload: '{}' }, { insert_id: 1 }, { insert_id: 'x', failed_at: 'now' }],
  ],
];

beforeAll(async () => {
  const schemas = cases.map(([, schema]) => schema);
  const out = join(work, 'validators.mjs');
  await build({
    stdin: { contents: computeStandaloneValidators(schemas), resolveDir: repoRoot, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'silent',
  });
  writeFileSync(join(work, 'package.json'), '{"type":"module"}');
  generated = (await import(pathToFileURL(out).href)) as typeof generated;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('validators generated at build time', () => {
  for (const [name, schema, values] of cases) {
    it(`agree with ajv on ${name}: verdict, errors and defaults`, () => {
      const ahead = generated.compileSchema(schema);
      const now = compileSchema(schema);
      for (const value of values) {
        const [a, b] = [structuredClone(value), structuredClone(value)];
        const verdict = ahead(a);
        expect(verdict, JSON.stringify(value)).toBe(now(b));
        expect(ahead.errors ?? null, JSON.stringify(value)).toEqual(now.errors ?? null);
        expect(a).toEqual(b);
      }
      // The cases are not all one way.
      expect(new Set(values.map((v) => now(structuredClone(v))))).toEqual(new Set([true, false]));
    });
  }

  it('fills in defaults as ajv does (useDefaults)', () => {
    const config: Record<string, unknown> = structuredClone(fixedConfig);
    delete config.counting;
    const filled = structuredClone(config);
    generated.compileSchema(EarshotConfig)(filled);
    expect(filled).toHaveProperty('counting');
  });

  it('throw for a schema the build did not see, naming what to do', () => {
    expect(() => generated.compileSchema(Tables.conversions)).toThrow(/declare validators \(validatorFor\) where a module loads/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeBigQuerySchema } from '../../../shared/schemas/bigquery-schema.ts';
import { Tables } from '../../../shared/schemas/rows.ts';
import { views } from '../../../shared/warehouse/views/index.ts';

const doc = readFileSync(new URL('../../../docs/analysts.md', import.meta.url), 'utf8');

// docs/analysts.md is the analysts' reference: it must keep up with the schemas and views.
describe('docs/analysts.md', () => {
  for (const [name, table] of Object.entries(Tables)) {
    it(`documents table ${name} and every one of its columns`, () => {
      expect(doc).toContain(`### \`${name}\``);
      const section = doc.slice(doc.indexOf(`### \`${name}\``)).split('\n### ')[0] ?? '';
      for (const column of computeBigQuerySchema(table)) expect(section, column.name).toContain(`| \`${column.name}\` |`);
    });
  }
  for (const view of views) {
    it(`documents view ${view.name}`, () => expect(doc).toMatch(new RegExp(`### .*\`${view.name}\``)));
  }
});

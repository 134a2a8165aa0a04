import { describe, expect, it } from 'vitest';
import { computeBigQuerySchema, type BigQueryField } from '../../../../shared/contracts/schemas/bigquery-schema.ts';
import { TableLayout, Tables } from '../../../../shared/contracts/schemas/rows.ts';

const allFields = (fields: readonly BigQueryField[]): BigQueryField[] => fields.flatMap((f) => [f, ...allFields(f.fields ?? [])]);

describe('warehouse tables', () => {
  for (const [name, table] of Object.entries(Tables)) {
    const schema = computeBigQuerySchema(table);
    const layout = TableLayout[name as keyof typeof Tables];

    it(`${name}: every column, nested ones too, is described`, () => {
      for (const field of allFields(schema)) expect(field.description, field.name).toMatch(/\w{3,}/);
    });

    it(`${name}: is partitioned on a required event-time column and clustered on top-level columns`, () => {
      const partition = schema.find((f) => f.name === layout.partitionBy);
      expect(partition).toMatchObject({ type: 'TIMESTAMP', mode: 'REQUIRED' });
      for (const column of layout.clusterBy) expect(schema.find((f) => f.name === column)?.mode, column).not.toBe('REPEATED');
      expect(layout.clusterBy.length).toBeLessThanOrEqual(4);
    });

    it(`${name}: has a deterministic insert_id`, () => {
      expect(schema.find((f) => f.name === 'insert_id')).toMatchObject({ type: 'STRING', mode: 'REQUIRED' });
    });
  }
});

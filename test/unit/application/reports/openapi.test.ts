import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { computeOpenApiDocument } from '../../../../shared/application/reports/openapi.ts';
import { columnsOf } from '../../../../shared/application/reports/report-rows.ts';
import { reportNames, reportSpecs } from '../../../../shared/application/reports/report-specs.ts';
import { bodyOf, openReportClient } from '../../../support/report-client.ts';
import { tenants } from '../../../support/report-seed.ts';
import { validatorFor } from '../../../../shared/contracts/schemas/validator.ts';

describe('OpenAPI 3.1 document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(computeOpenApiDocument());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every report with the columns its query selects', () => {
    const doc = computeOpenApiDocument() as { paths: Record<string, unknown>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    for (const name of reportNames) {
      expect(doc.paths[`/v1/${name}`]).toBeDefined();
      expect(Object.keys(doc.components.schemas[`${name}_row`]?.properties ?? {})).toEqual(columnsOf(reportSpecs[name].row));
    }
  });

  it('is served at /v1/openapi.json, and the rows served match their schemas', async () => {
    const client = await openReportClient();
    try {
      const served = await client.get('/v1/openapi.json');
      expect(JSON.parse(String(served.body))).toEqual(computeOpenApiDocument());
      for (const name of reportNames) {
        const validRow = validatorFor(reportSpecs[name].row);
        const rows = bodyOf(await client.get(`/v1/${name}?from=2026-11-01&to=2026-11-30`, tenants.analyst)).rows;
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(validRow(row), `${name} ${JSON.stringify(row)}`).toMatchObject({ ok: true });
      }
    } finally {
      await client.warehouse.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, openReportClient, type ReportClient } from '../../../support/report-client.ts';
import { tenants } from '../../../support/report-seed.ts';

let client: ReportClient;
beforeAll(async () => {
  // Far from UTC: a window read in the session's zone would start at 10:00 UTC the day before.
  // DuckDB takes its session zone from the process's (its configuration is locked once open).
  process.env.TZ = 'Pacific/Kiritimati';
  client = await openReportClient();
  const zone = await client.warehouse.query("SELECT current_setting('TimeZone') AS zone");
  expect(zone.rows).toEqual([{ zone: 'Pacific/Kiritimati' }]);
});
afterAll(async () => client.warehouse.close());

describe('date windows are UTC days whatever the DuckDB session time zone', () => {
  const cases: Array<[string, string]> = [
    ['delivery by month (delivery_hourly timestamps)', '/v1/delivery?from=2026-11-11&to=2026-11-11&granularity=month'],
    ['reach (beacon_events timestamps)', '/v1/reach?from=2026-11-11&to=2026-11-11'],
  ];
  for (const [name, path] of cases) {
    it(`${name}: the one-day window holds that UTC day only`, async () => {
      const day = bodyOf(await client.get(path, tenants.analyst)).rows;
      const days = bodyOf(await client.get(path.replace('to=2026-11-11', 'to=2026-11-12').replace('from=2026-11-11', 'from=2026-11-10'), tenants.analyst)).rows;
      const total = (rows: Array<Record<string, unknown>>, column: string) => rows.reduce((sum, row) => sum + Number(row[column]), 0);
      const column = path.includes('reach') ? 'impressions' : 'requests';
      // The seed's three days are alike in size, so one UTC day is a third of three (less day 1's labelled extras for delivery).
      expect(total(day, column)).toBeGreaterThan(0);
      expect(total(day, column)).toBeLessThan(total(days, column) / 2);
    });
  }
});

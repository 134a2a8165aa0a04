import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { computeDuckDbColumns, computeJsonStructure } from '../../../../shared/contracts/schemas/duckdb-schema.ts';

const d = (description: string) => ({ description });

/** A row schema of every shape BigQuery has: scalars, repeated scalars, records, repeated records, records in records. */
const Row = Type.Object({
  insert_id: Type.String(d('key')),
  n: Type.Optional(Type.Integer(d('an integer'))),
  at: Type.String({ format: 'date-time', ...d('a time') }),
  tags: Type.Array(Type.String(), d('repeated text')),
  place: Type.Optional(Type.Object({ country: Type.String(d('country')), share: Type.Number(d('share')) }, d('a record'))),
  items: Type.Array(Type.Object({ id: Type.String(d('id')), seen: Type.Array(Type.String({ format: 'date-time' }), d('times')), ok: Type.Optional(Type.Boolean(d('ok'))) }), d('repeated records')),
});

describe('computeDuckDbColumns: the BigQuery schema of a row as DuckDB types', () => {
  const cases: Record<string, [sql: string, notNull: boolean, structure: string]> = {
    insert_id: ['VARCHAR', true, '"VARCHAR"'],
    n: ['BIGINT', false, '"BIGINT"'],
    at: ['TIMESTAMPTZ', true, '"TIMESTAMPTZ"'],
    tags: ['VARCHAR[]', false, '["VARCHAR"]'],
    place: ['STRUCT("country" VARCHAR, "share" DOUBLE)', false, '{"country":"VARCHAR","share":"DOUBLE"}'],
    items: ['STRUCT("id" VARCHAR, "seen" TIMESTAMPTZ[], "ok" BOOLEAN)[]', false, '[{"id":"VARCHAR","seen":["TIMESTAMPTZ"],"ok":"BOOLEAN"}]'],
  };
  const columns = computeDuckDbColumns(Row);
  for (const [name, [sql, notNull, structure]] of Object.entries(cases)) {
    it(`${name}: ${sql}`, () => {
      const column = columns.find((c) => c.name === name);
      expect(column && [column.sql, column.notNull, computeJsonStructure(column.type)]).toEqual([sql, notNull, structure]);
    });
  }
  it('keeps the schema order', () => expect(columns.map((c) => c.name)).toEqual(Object.keys(cases)));
});

describe('appendRows: values of those types, nested ones too, read back as written', () => {
  it('appends scalars, lists, records and lists of records with times inside', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { appendRows, createColumnEncoder } = await import('../../../../shared/adapters/local/duckdb-append.ts');
    const { toJsonSafe } = await import('../../../../shared/adapters/local/json-safe.ts');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const columns = computeDuckDbColumns(Row);
    await connection.run(`CREATE TABLE t (${columns.map((c) => `"${c.name}" ${c.sql}`).join(', ')})`);
    const rows = [
      { insert_id: 'a', n: 7, at: '2026-11-20T10:00:00.123456Z', tags: ['x', 'y'], place: { country: 'DE', share: 0.5 }, items: [{ id: 'i1', seen: ['2026-11-20T10:00:00Z'], ok: true }, { id: 'i2', seen: [] }] },
      { insert_id: 'b', at: '2026-11-20T11:00:00Z', items: [] },
    ];
    const appender = await connection.createAppender('t');
    appendRows(appender, columns.map(createColumnEncoder), rows, (row, column) => (row as Record<string, unknown>)[column]);
    appender.flushSync();
    appender.closeSync();
    const reader = await connection.runAndReadAll(`SELECT insert_id, n, strftime("at", '%Y-%m-%dT%H:%M:%S.%fZ') AS "at", tags, place, items FROM t ORDER BY 1`);
    expect(reader.getRowObjectsJS().map(toJsonSafe)).toEqual([
      { insert_id: 'a', n: 7, at: '2026-11-20T10:00:00.123456Z', tags: ['x', 'y'], place: { country: 'DE', share: 0.5 }, items: [{ id: 'i1', seen: ['2026-11-20T10:00:00.000Z'], ok: true }, { id: 'i2', seen: [], ok: null }] },
      { insert_id: 'b', n: null, at: '2026-11-20T11:00:00.000000Z', tags: [], place: null, items: [] },
    ]);
    connection.closeSync();
  });
});

import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { QueryRefusedError } from '../../../shared/adapters/local/duckdb-read-query.ts';

const dir = mkdtempSync(join(tmpdir(), 'earshot-readonly-'));
const outside = join(dir, 'outside.csv');
writeFileSync(outside, 'a,b\n1,2\n');

const row = (id: string) => ({
  insertId: `p1/${id}`,
  json: {
    insert_id: `p1/${id}`,
    source: 'beacons',
    message_id: id,
    reason: 'test',
    payload: 'x',
    failed_at: '2026-11-20T12:00:00.000Z',
  },
});

describe('DuckDbWarehouse.query is read only and bounded', () => {
  let warehouse: DuckDbWarehouse;
  const limits = { maxRows: 1000, maxBytes: 64 * 1024, timeoutMs: 1500 };
  beforeAll(async () => {
    // A small memory ceiling, so a query reaches it well within the time limit.
    warehouse = await DuckDbWarehouse.open(join(dir, 'warehouse.duckdb'), undefined, limits, '128MB');
    await warehouse.insert('dead_letters', [row('a'), row('b')]);
  });
  afterAll(async () => {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const count = async () => (await warehouse.query('SELECT count(*) AS n FROM dead_letters')).rows;

  const refused: Record<string, string> = {
    DELETE: 'DELETE FROM dead_letters',
    INSERT: "INSERT INTO dead_letters (insert_id) VALUES ('z')",
    UPDATE: "UPDATE dead_letters SET reason = 'changed'",
    'CREATE TABLE': 'CREATE TABLE t (a INT)',
    'CREATE TABLE AS': 'CREATE TABLE t AS SELECT 1',
    DROP: 'DROP TABLE dead_letters',
    ALTER: 'ALTER TABLE dead_letters ADD COLUMN x INT',
    'ATTACH a file': `ATTACH '${join(dir, 'other.duckdb')}' AS other`,
    'ATTACH memory': "ATTACH ':memory:' AS m",
    'COPY TO a file': `COPY dead_letters TO '${join(dir, 'stolen.csv')}'`,
    'COPY FROM a file': `COPY dead_letters FROM '${outside}'`,
    EXPORT: `EXPORT DATABASE '${join(dir, 'export')}'`,
    INSTALL: 'INSTALL httpfs',
    LOAD: 'LOAD httpfs',
    SET: "SET memory_limit = '100GB'",
    'PRAGMA that sets': "PRAGMA memory_limit = '100GB'",
    'SET enable_external_access': 'SET enable_external_access = true',
    'a transaction': 'BEGIN TRANSACTION',
    CHECKPOINT: 'CHECKPOINT',
    'a second statement after a SELECT': 'SELECT 1; DELETE FROM dead_letters',
    'a macro': 'CREATE MACRO m(a) AS a',
    'read_text in a SELECT': "SELECT * FROM read_text('/etc/hostname')",
    'read_csv in a SELECT': `SELECT * FROM read_csv('${outside}')`,
    'a URL in a SELECT': "SELECT * FROM read_csv('https://example.com/x.csv')",
    'getenv in a SELECT': "SELECT getenv('HOME')",
    'a write through query()': "SELECT * FROM query('DELETE FROM dead_letters')",
    'SQL that closes the wrapper early': 'SELECT 1) q; DELETE FROM dead_letters; SELECT * FROM (SELECT 1',
  };
  for (const [name, sql] of Object.entries(refused)) {
    it(`refuses ${name} and changes nothing`, async () => {
      await expect(warehouse.query(sql)).rejects.toThrow(Error);
      expect(await count()).toEqual([{ n: 2 }]);
    });
  }

  it('names the statement kind it refuses', async () => {
    await expect(warehouse.query('DELETE FROM dead_letters')).rejects.toThrow(new QueryRefusedError('only SELECT and EXPLAIN are allowed: the warehouse is read only here (got DELETE)'));
  });

  it('touched no file outside the warehouse', () => {
    for (const name of ['other.duckdb', 'stolen.csv', 'export']) expect(existsSync(join(dir, name)), name).toBe(false);
  });

  it('still answers reads: SELECT, CTEs, views, EXPLAIN, pragma table functions', async () => {
    expect(await count()).toEqual([{ n: 2 }]);
    expect((await warehouse.query('WITH x AS (SELECT 41 AS a) SELECT a + 1 AS b FROM x')).rows).toEqual([{ b: 42 }]);
    expect((await warehouse.query('SELECT count(*) AS n FROM delivery_daily')).rows).toEqual([{ n: 0 }]);
    expect((await warehouse.query('EXPLAIN SELECT * FROM dead_letters')).rows.length).toBeGreaterThan(0);
    expect((await warehouse.query("SELECT count(*) > 0 AS ok FROM pragma_table_info('dead_letters')")).rows).toEqual([{ ok: true }]);
  });

  it('truncates at the row limit, with a flag', async () => {
    const result = await warehouse.query('SELECT range AS i FROM range(5000)');
    expect(result.rows).toHaveLength(limits.maxRows);
    expect(result.truncated).toEqual({ reason: 'rows', limit: limits.maxRows });
    expect((await warehouse.query('SELECT range AS i FROM range(1000)')).truncated).toBeUndefined();
  });

  it('truncates at the byte limit, with a flag', async () => {
    const result = await warehouse.query("SELECT repeat('x', 1000) AS s FROM range(500)");
    expect(result.truncated).toEqual({ reason: 'bytes', limit: limits.maxBytes });
    expect(JSON.stringify(result.rows).length).toBeLessThanOrEqual(limits.maxBytes);
  });

  it('refuses one row over the byte limit inside DuckDB, before it becomes a JavaScript string', async () => {
    await expect(warehouse.query("SELECT repeat('x', 50000000) AS s")).rejects.toThrow(`a result row is over ${limits.maxBytes} bytes`);
  });

  it('keeps the order, names and nesting of a query it wraps, trailing comments and semicolons included', async () => {
    expect(await warehouse.query("SELECT range AS i, {'a': [range]} AS s FROM range(3) ORDER BY range DESC; -- newest first")).toEqual({
      columns: ['i', 's'],
      rows: [
        { i: 2, s: { a: [2] } },
        { i: 1, s: { a: [1] } },
        { i: 0, s: { a: [0] } },
      ],
    });
  });

  const endings: Array<[string, string]> = [
    ['a semicolon', 'SELECT 7 AS n;'],
    ['semicolons and spaces', 'SELECT 7 AS n ; ;  \n'],
    ['a comment after the semicolon', 'SELECT 7 AS n; -- the answer'],
    ['comment lines after the semicolon', 'SELECT 7 AS n;\n-- one\n  -- two\n'],
    ['a comment without a semicolon', 'SELECT 7 AS n -- no semicolon'],
    ['a semicolon inside a string literal', "SELECT 7 AS n, ';' AS s"],
  ];
  for (const [name, sql] of endings) {
    it(`reads a query ending in ${name}`, async () => {
      expect((await warehouse.query(sql)).rows).toEqual([expect.objectContaining({ n: 7 })]);
    });
  }

  it('reads a megabyte of trailing semicolons, dashes and comment lines in linear time', async () => {
    const started = performance.now();
    expect((await warehouse.query(`SELECT 7 AS n${';'.repeat(300_000)} --${'-;'.repeat(200_000)}${'\n-- c'.repeat(100_000)}`)).rows).toEqual([{ n: 7 }]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('keeps a comment marker inside a string literal', async () => {
    expect((await warehouse.query("SELECT 7 AS n WHERE '--' = '--'")).rows).toEqual([{ n: 7 }]);
  });

  it('stops a huge cross join at the time limit, and keeps writing and answering afterwards', async () => {
    const started = performance.now();
    await expect(warehouse.query('SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b')).rejects.toThrow(/ran over 1500 ms/);
    expect(performance.now() - started).toBeLessThan(5000);
    await warehouse.insert('dead_letters', [row('c')]);
    expect(await count()).toEqual([{ n: 3 }]);
  });

  it('streams a huge result instead of building it: the first rows come back at once', async () => {
    const started = performance.now();
    const result = await warehouse.query('SELECT a.range AS x, b.range AS y FROM range(1000000) a, range(1000000) b');
    expect(result.truncated?.reason).toBe('rows');
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('fails a query over the memory limit alone', async () => {
    await expect(warehouse.query('SELECT range % 10 AS g, list(range) FROM range(100000000) GROUP BY 1')).rejects.toThrow(/out of memory|memory limit/i);
    expect(await count()).toEqual([{ n: 3 }]);
  });
});

import { readFileSync } from 'node:fs';
import sqlParser from 'node-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../../../shared/adapters/local/duckdb-warehouse.ts';
import { computeBigQuerySchema } from '../../../shared/contracts/schemas/bigquery-schema.ts';
import { Tables } from '../../../shared/contracts/schemas/rows.ts';
import { views } from '../../../shared/application/warehouse/views/index.ts';

const doc = readFileSync(new URL('../../../docs/analysts.md', import.meta.url), 'utf8');

/** The text of the `### ...` section whose heading names `name`. */
function sectionOf(name: string): string {
  const start = doc.search(new RegExp(`^### .*\`${name}\``, 'm'));
  return start < 0 ? '' : (doc.slice(start).split('\n### ')[0] ?? '');
}

/** Every statement of the doc's ```sql blocks (they are written for BigQuery). */
const examples = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)]
  .flatMap((m) => (m[1] as string).split(';'))
  .map((s) => s.trim())
  .filter((s) => s.replace(/--.*$/gm, '').trim() !== '');

// docs/analysts.md is the analysts' reference: it must keep up with the schemas and views.
describe('docs/analysts.md', () => {
  let warehouse: DuckDbWarehouse;
  const columnsOf = new Map<string, string[]>(Object.entries(Tables).map(([name, table]) => [name, computeBigQuerySchema(table).map((c) => c.name)]));
  beforeAll(async () => {
    warehouse = await DuckDbWarehouse.open(':memory:');
    for (const view of views) columnsOf.set(view.name, (await warehouse.query(`SELECT * FROM "${view.name}" LIMIT 0`)).columns);
  });
  afterAll(async () => warehouse.close());

  for (const [name, table] of Object.entries(Tables)) {
    it(`documents table ${name} and every one of its columns`, () => {
      expect(doc).toContain(`### \`${name}\``);
      for (const column of computeBigQuerySchema(table)) expect(sectionOf(name), column.name).toContain(`| \`${column.name}\` |`);
    });
  }
  for (const view of views) {
    it(`documents view ${view.name} and every one of its columns`, () => {
      const section = sectionOf(view.name);
      expect(section).not.toBe('');
      for (const column of columnsOf.get(view.name) ?? []) expect(section, column).toContain(`\`${column}\``);
    });
  }

  it('has example queries for every view', () => {
    for (const view of views) expect(examples.some((sql) => new RegExp(`\\bearshot\\.${view.name}\\b`).test(sql)), view.name).toBe(true);
  });

  const parser = new sqlParser.Parser();
  /** The warehouse objects a BigQuery statement reads and the columns it names that they lack. */
  function checkExample(sql: string): { sources: string[]; unknown: string[] } {
    const { tableList, columnList } = parser.parse(sql, { database: 'bigquery' });
    const sources = tableList.map((t) => t.split('::').slice(1).join('.'));
    const known = new Set<string>();
    for (const source of sources) for (const column of columnsOf.get(source.replace(/^earshot\./, '')) ?? []) known.add(column);
    // Output names the statement defines itself (`... AS name`) may be ordered or grouped by.
    for (const [, alias] of sql.matchAll(/\bAS\s+(\w+)/gi)) known.add(alias as string);
    return { sources, unknown: columnList.map((c) => c.split('::')[2] as string).filter((c) => c !== '(.*)' && !known.has(c)) };
  }

  for (const sql of examples) {
    const title = (/^-- (.+)$/m.exec(sql)?.[1] ?? sql.split('\n').find((l) => !l.startsWith('--')) ?? sql).slice(0, 70);
    it(`example "${title}" parses as BigQuery SQL and reads only columns its table or view has`, () => {
      const { sources, unknown } = checkExample(sql);
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) expect(columnsOf.has(source.replace(/^earshot\./, '')) && source.startsWith('earshot.'), source).toBe(true);
      expect(unknown).toEqual([]);
    });
  }

  it('finds a misspelt column and refuses SQL that is not BigQuery (the checks are not vacuous)', () => {
    expect(checkExample('SELECT campaign_id, househlds_reached FROM earshot.reach_frequency').unknown).toEqual(['househlds_reached']);
    expect(() => checkExample('SELECT FROM WHERE')).toThrow();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { computeBigQueryArtifacts } from '../../../scripts/bigquery-artifacts.ts';
import { ttlField, valueField } from '../../../shared/adapters/gcp/firestore-state.ts';
import { computeBigQuerySchema } from '../../../shared/contracts/schemas/bigquery-schema.ts';
import { TableLayout, Tables, type TableName } from '../../../shared/contracts/schemas/rows.ts';
import { views } from '../../../shared/application/warehouse/views/index.ts';
import { readFunctionFacts, type FunctionFacts } from './code-facts.ts';
import { block, calledModule, loadTerraform, type Body, type TerraformModule } from './terraform-config.ts';

let facts: FunctionFacts[];
let root: TerraformModule;
let warehouse: TerraformModule;
let state: TerraformModule;

beforeAll(async () => {
  facts = await readFunctionFacts();
  const modules = await loadTerraform();
  root = modules.get('') as TerraformModule;
  warehouse = calledModule(modules, root.modules.warehouse as Body);
  state = calledModule(modules, root.modules.state as Body);
});

describe('Terraform warehouse against the code', () => {
  const artifacts = computeBigQueryArtifacts();

  it('declares one table per table of the code, from the list the build writes', () => {
    expect(Object.keys(artifacts.tables).sort()).toEqual(Object.keys(Tables).sort());
    expect(warehouse.locals.tables).toBe('${jsondecode(file("${var.artifacts_dir}/tables.json"))}');
    expect((root.modules.warehouse as Body).artifacts_dir).toBe('${local.dist}/bigquery');
  });

  it("reads each table's schema from the file the build writes, generated from shared/contracts/schemas", () => {
    const table = warehouse.resources.google_bigquery_table?.table as Body;
    expect(table).toMatchObject({ for_each: '${local.tables}', table_id: '${each.key}', schema: '${file("${var.artifacts_dir}/${each.value.schema_file}")}' });
    for (const name of Object.keys(Tables) as TableName[]) {
      expect(artifacts.tables[name].schema_file).toBe(`${name}.json`);
      expect(artifacts.tables[name].schema).toEqual(computeBigQuerySchema(Tables[name]));
    }
  });

  it("lays each table out as TableLayout says: day partitions, clustering, partition filter", () => {
    const table = warehouse.resources.google_bigquery_table?.table as Body;
    expect(block(table, 'time_partitioning')).toEqual({ type: 'DAY', field: '${each.value.partition_by}' });
    expect(table).toMatchObject({ clustering: '${each.value.cluster_by}', require_partition_filter: '${each.value.require_partition_filter}' });
    for (const name of Object.keys(Tables) as TableName[]) {
      const layout = TableLayout[name];
      expect(artifacts.tables[name]).toMatchObject({
        partition_by: layout.partitionBy,
        cluster_by: layout.clusterBy,
        require_partition_filter: layout.requirePartitionFilter,
      });
      const column = artifacts.tables[name].schema.find((f) => f.name === layout.partitionBy);
      expect(column?.type, `${name}.${layout.partitionBy}`).toBe('TIMESTAMP');
    }
  });

  it('declares every view, in a stage after the views it reads, with every placeholder filled', () => {
    expect(artifacts.views.map((v) => v.name)).toEqual(views.map((v) => v.name));
    const stages = Object.keys(warehouse.resources.google_bigquery_table ?? {}).filter((name) => name.startsWith('view_stage_'));
    for (const view of artifacts.views) expect(stages, view.name).toContain(`view_stage_${view.stage}`);
    const filled = new Set([...warehouse.source.matchAll(/"\{\{(\w+)\}\}"/g)].map((m) => m[1]));
    const used = new Set(artifacts.views.flatMap((v) => [...v.sql.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1])));
    expect([...used].filter((p) => !filled.has(p))).toEqual([]);
  });

  it('has a dead_letters table for the dead-letter subscriptions to write', () => {
    expect(Object.keys(Tables)).toContain('dead_letters');
    expect(warehouse.source).toContain('google_bigquery_table.table["dead_letters"]');
  });
});

describe('Terraform state against the code', () => {
  it('gives every collection the code keeps state in a TTL policy on the adapter TTL field', () => {
    const collections = [...new Set(facts.flatMap((f) => f.collections))].sort();
    expect([...(root.locals.state_collections as string[])].sort()).toEqual(collections);
    const ttl = state.resources.google_firestore_field?.ttl as Body;
    expect(ttl).toMatchObject({ for_each: '${toset(var.collections)}', collection: '${each.key}', field: ttlField });
    expect(block(ttl, 'ttl_config')).toEqual({});
  });

  it("disables the TTL field's indexes (an empty index_config)", () => {
    expect(block(state.resources.google_firestore_field?.ttl as Body, 'index_config')).toEqual({});
  });

  it("disables the indexes of the adapter's value field in every collection: nothing queries it", () => {
    const value = state.resources.google_firestore_field?.value as Body;
    expect(value).toMatchObject({ for_each: '${toset(var.collections)}', collection: '${each.key}', field: valueField });
    expect(block(value, 'index_config')).toEqual({});
  });

  it('points the functions at the database it declares', () => {
    const env = (root.modules.functions as Body).environment as Body;
    expect(env.EARSHOT_FIRESTORE_DATABASE).toBe('${module.state.database_id}');
    expect(state.resources.google_firestore_database?.state?.name).toBe('${var.database_id}');
  });
});

import { computeBigQuerySchema, type BigQueryField } from '../shared/contracts/schemas/bigquery-schema.ts';
import { TableLayout, Tables, type TableName } from '../shared/contracts/schemas/rows.ts';
import { bigQueryDialect, deployedViewSettings } from '../shared/application/warehouse/dialect.ts';
import { views } from '../shared/application/warehouse/views/index.ts';

/** One table as `terraform/modules/warehouse` reads it from `dist/bigquery/tables.json`. */
export interface TableArtifact {
  /** Schema file, relative to `dist/bigquery/`. */
  schema_file: string;
  schema: BigQueryField[];
  partition_by: string;
  cluster_by: string[];
  require_partition_filter: boolean;
}

/** One view as Terraform reads it from `dist/bigquery/views.json`. */
export interface ViewArtifact {
  name: string;
  description: string;
  /** SQL file, relative to `dist/bigquery/`, with `{{placeholders}}` Terraform fills (`{{dataset}}`, settings). */
  sql_file: string;
  sql: string;
  /** 0 when the view reads only tables, else one more than the deepest view it reads. */
  stage: number;
}

/** The warehouse as `npm run build` writes it for Terraform: every table and view the code defines. */
export function computeBigQueryArtifacts(): { tables: Record<TableName, TableArtifact>; views: ViewArtifact[] } {
  const tables = Object.fromEntries(
    (Object.keys(Tables) as TableName[]).map((name) => {
      const layout = TableLayout[name];
      const table: TableArtifact = {
        schema_file: `${name}.json`,
        schema: computeBigQuerySchema(Tables[name]),
        partition_by: layout.partitionBy,
        cluster_by: layout.clusterBy,
        require_partition_filter: layout.requirePartitionFilter,
      };
      return [name, table];
    }),
  ) as Record<TableName, TableArtifact>;
  const stages = new Map<string, number>();
  const viewArtifacts = views.map((view) => {
    const sql = view.sql(bigQueryDialect, deployedViewSettings);
    // Views are listed in creation order, so every view this one reads already has its stage.
    const read = [...stages.keys()].filter((other) => sql.includes(`{{dataset}}.${other}\``));
    const stage = read.length ? Math.max(...read.map((other) => stages.get(other) ?? 0)) + 1 : 0;
    stages.set(view.name, stage);
    return { name: view.name, description: view.description, sql_file: `views/${view.name}.sql`, sql, stage };
  });
  return { tables, views: viewArtifacts };
}

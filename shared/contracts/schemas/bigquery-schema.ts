import type { TObject, TSchema } from '@sinclair/typebox';

/** A BigQuery table field as the REST API and Terraform `schema` JSON describe it. */
export interface BigQueryField {
  name: string;
  type: 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL' | 'TIMESTAMP' | 'RECORD';
  mode: 'REQUIRED' | 'NULLABLE' | 'REPEATED';
  description: string;
  fields?: BigQueryField[];
}

interface JsonSchemaNode {
  type?: string;
  format?: string;
  description?: string;
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
}

function scalarType(node: JsonSchemaNode, path: string): BigQueryField['type'] {
  switch (node.type) {
    case 'string':
      return node.format === 'date-time' ? 'TIMESTAMP' : 'STRING';
    case 'integer':
      return 'INT64';
    case 'number':
      return 'FLOAT64';
    case 'boolean':
      return 'BOOL';
    case 'object':
      return 'RECORD';
    default:
      throw new Error(`no BigQuery type for ${path} (${String(node.type)})`);
  }
}

function toField(name: string, node: JsonSchemaNode, required: boolean, path: string): BigQueryField {
  const description = node.description ?? node.items?.description;
  if (!description) throw new Error(`column ${path} has no description`);
  if (node.type === 'array') {
    const items = node.items ?? {};
    return { ...toField(name, { ...items, description }, true, path), mode: 'REPEATED' };
  }
  const field: BigQueryField = { name, type: scalarType(node, path), mode: required ? 'REQUIRED' : 'NULLABLE', description };
  if (field.type === 'RECORD') field.fields = fieldsOf(node, path);
  return field;
}

function fieldsOf(node: JsonSchemaNode, path: string): BigQueryField[] {
  const required = new Set(node.required ?? []);
  return Object.entries(node.properties ?? {}).map(([name, child]) =>
    toField(name, child, required.has(name), `${path}.${name}`),
  );
}

/** Derives a BigQuery schema from a row's JSON Schema; every column, nested ones too, must be described. */
export function computeBigQuerySchema(table: TObject): BigQueryField[] {
  const root = table as TSchema as JsonSchemaNode;
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties ?? {}).map(([name, node]) => toField(name, node, required.has(name), name));
}

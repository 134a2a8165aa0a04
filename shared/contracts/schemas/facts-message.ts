import { Type } from '@sinclair/typebox';
import { StringEnum } from './common.ts';
import { Tables, type TableName } from './rows.ts';

const tableNames = Object.keys(Tables) as [TableName, ...TableName[]];

/**
 * Payload of one message on topic `facts`: rows for one table. Each row is checked against its
 * table's schema by the `warehouse` function, so a bad row is dead-lettered alone.
 */
export const FactsBatch = Type.Object(
  {
    table: StringEnum(tableNames),
    rows: Type.Array(Type.Object({ insert_id: Type.String({ minLength: 1 }) }), { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type FactsBatch = { table: TableName; rows: Array<{ insert_id: string } & Record<string, unknown>> };

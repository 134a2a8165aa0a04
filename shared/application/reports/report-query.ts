import type { ReportParam } from '../../contracts/ports.ts';
import type { SqlDialect } from '../../contracts/sql-dialect.ts';
import { columnsOf } from './report-rows.ts';
import type { ReportFilters, ReportSpec } from './report-specs.ts';
import { SqlBuilder } from './sql-builder.ts';
import type { Tenant } from './tenant.ts';

export interface ReportQuery {
  sql: string;
  params: Record<string, ReportParam>;
}

export interface Page {
  offset: number;
  /** Rows asked for: one more than the page holds, to know whether another follows. */
  rows: number;
}

/**
 * The tenant's scope as SQL conditions. It is derived from the key alone and is ANDed with every
 * filter, so a filter naming another tenant's campaign or show finds nothing, exactly like a
 * filter naming nothing at all.
 */
function scopeConditions(b: SqlBuilder, spec: ReportSpec, tenant: Tenant): string[] {
  if (tenant.kind === 'analyst') return [];
  if (tenant.kind === 'platform') {
    if (spec.scope.platformInSource) return [];
    if (!spec.scope.platform) throw new Error(`${spec.name} has no platform scope`);
    return [`${spec.scope.platform} = ${b.bind('tenant_platform', tenant.id)}`];
  }
  if (spec.scope.advertiser) return [`${spec.scope.advertiser} = ${b.bind('tenant_advertiser', tenant.id)}`];
  const { campaign, adAdvertiser } = spec.scope;
  if (!campaign) throw new Error(`${spec.name} has no advertiser scope`);
  const listed = b.member(campaign, 'tenant_campaigns', tenant.campaigns);
  if (!adAdvertiser) return [listed];
  const labelled = `${adAdvertiser} = ${b.bind('tenant_advertiser', tenant.id)} AND ${campaign} IS NOT NULL AND NOT ${b.member(campaign, 'claimed_campaigns', tenant.claimed)}`;
  return [`(${listed} OR (${labelled}))`];
}

function filterConditions(b: SqlBuilder, spec: ReportSpec, filters: ReportFilters): string[] {
  return (Object.entries(spec.filters) as Array<[keyof typeof spec.filters, string]>).flatMap(([name, column]) => {
    const value = filters[name];
    return value === undefined ? [] : [`${column} = ${b.bind(`filter_${name}`, value)}`];
  });
}

/** The SQL of one page of a report for a tenant, and its parameters. */
export function computeReportQuery(dialect: SqlDialect, spec: ReportSpec, tenant: Tenant, filters: ReportFilters, page: Page): ReportQuery {
  const b = new SqlBuilder(dialect);
  const scope = scopeConditions(b, spec, tenant);
  const platform = tenant.kind === 'platform' && spec.scope.platformInSource ? b.bind('tenant_platform', tenant.id) : undefined;
  const source = spec.source(b, filters, [...scope, ...filterConditions(b, spec, filters)], platform);
  const sql = [
    `SELECT ${columnsOf(spec.row).join(', ')}`,
    `FROM (\n${source}\n) AS report`,
    `ORDER BY ${spec.sort.map((c) => `${c} NULLS FIRST`).join(', ')}`,
    `LIMIT ${b.bind('page_rows', page.rows)} OFFSET ${b.bind('page_offset', page.offset)}`,
  ].join('\n');
  return { sql, params: b.params };
}

import { admitBody, refuseBody, smallBodyBytes } from '../../shared/platform/http/admission.ts';
import { healthy, json, jsonError, methodNotAllowed, notFound } from '../../shared/platform/http/responses.ts';
import type { HttpHandler, HttpRequest, HttpResponse, RequestHead } from '../../shared/platform/http/types.ts';
import { ReportQueryError, type ReportRow } from '../../shared/contracts/ports.ts';
import { encodeCursor, queryDigest, tryDecodeCursor } from '../../shared/application/reports/cursor.ts';
import { toCsv } from '../../shared/application/reports/csv.ts';
import { computeOpenApiDocument } from '../../shared/application/reports/openapi.ts';
import { computeReportQuery } from '../../shared/application/reports/report-query.ts';
import { reportLimits, tryParseReportRequest, type ReportRequest } from '../../shared/application/reports/report-request.ts';
import { columnsOf } from '../../shared/application/reports/report-rows.ts';
import { kindsFor, reportNames, reportSpecs, type ReportName, type ReportSpec } from '../../shared/application/reports/report-specs.ts';
import { ResultCache } from '../../shared/application/reports/result-cache.ts';
import { TenantKeys, type Tenant } from '../../shared/application/reports/tenant.ts';
import type { Runtime } from '../../shared/composition/runtime-types.ts';

type ReportsDeps = Pick<Runtime, 'config' | 'reports' | 'clock' | 'log'>;

/** What one query may cost; BigQuery refuses a query that would bill more than this. */
const queryLimits = { maxBytesBilled: 10 * 1024 ** 3, timeoutMs: 20_000 } as const;
const cacheTtlMs = 60_000;

type Route = { kind: 'report'; spec: ReportSpec } | { kind: 'openapi' } | { kind: 'healthz' };

function tryRoute(path: string): Route | undefined {
  if (path === '/healthz') return { kind: 'healthz' };
  if (path === '/v1/openapi.json') return { kind: 'openapi' };
  const name = /^\/v1\/([a-z]+)$/.exec(path)?.[1];
  return name && (reportNames as readonly string[]).includes(name) ? { kind: 'report', spec: reportSpecs[name as ReportName] } : undefined;
}

const unauthorized = () => jsonError(401, 'unauthorized', [{ path: 'headers/authorization', message: 'expected Bearer <platform, advertiser or analyst key>' }]);

/**
 * The `reports` function: `GET /v1/<report>` answers one page of a report, as JSON or CSV, for the
 * tenant of the Bearer key; `GET /v1/openapi.json` describes them. Every query is parameterized,
 * and the tenant's scope is a condition of it, derived from the key.
 */
export function createReportsHandler(deps: ReportsDeps): HttpHandler {
  const keys = new TenantKeys(deps.config);
  const cache = new ResultCache<ReportRow[]>(cacheTtlMs, 500, () => deps.clock.now().getTime());
  const openApi = JSON.stringify(computeOpenApiDocument());
  const settings = { thresholdPct: String(deps.config.reporting.discrepancy_threshold_pct) };

  // Route, method and key are decided from the head: a request without a key never costs a query.
  function refusal(head: RequestHead): { response: HttpResponse } | { route: Route; tenant?: Tenant } {
    const route = tryRoute(head.path);
    if (!route) return { response: notFound(head.path) };
    if (head.method !== 'GET') return { response: methodNotAllowed(head.method, 'GET') };
    if (route.kind !== 'report') return { route };
    const tenant = keys.tryTenant(head.headers.authorization);
    if (!tenant) return { response: unauthorized() };
    if (!kindsFor(route.spec).includes(tenant.kind)) {
      return { response: jsonError(403, 'forbidden', [{ path: 'headers/authorization', message: `${tenant.kind} keys cannot read the ${route.spec.name} report` }]) };
    }
    return { route, tenant };
  }

  async function rowsOf(spec: ReportSpec, tenant: Tenant, request: ReportRequest, offset: number): Promise<ReportRow[]> {
    const query = computeReportQuery(deps.reports.dialect, spec, tenant, request.filters, { offset, rows: request.limit + 1 });
    // The SQL and every parameter (the tenant's scope among them) make the key.
    const key = JSON.stringify([tenant.kind, tenant.id, query.sql, query.params]);
    const cached = cache.get(key);
    if (cached) return cached;
    const rows = await deps.reports.run(query.sql, query.params, { ...queryLimits, maxRows: request.limit + 1 });
    cache.set(key, rows);
    return rows;
  }

  async function report(request: HttpRequest, spec: ReportSpec, tenant: Tenant): Promise<HttpResponse> {
    const parsed = tryParseReportRequest(spec, request.query, settings);
    if (!parsed.ok) return jsonError(400, 'invalid request', parsed.errors);
    const { filters, format, limit, cursor } = parsed.value;
    const digest = queryDigest([tenant.kind, tenant.id, spec.name, filters.from, filters.to, filters.granularity, filters.campaign ?? '', filters.show ?? '', filters.study ?? '', String(limit)]);
    const offset = cursor === undefined ? 0 : tryDecodeCursor(cursor, digest, reportLimits.maxOffset);
    if (offset === undefined) return jsonError(400, 'invalid request', [{ path: 'query/cursor', message: 'is not a cursor of this query: page from its first page again' }]);

    let rows: ReportRow[];
    try {
      rows = await rowsOf(spec, tenant, parsed.value, offset);
    } catch (err) {
      const kind = err instanceof ReportQueryError ? err.kind : 'unavailable';
      // The log keeps the error (never the client); the SQL text is in neither.
      deps.log.error('report query failed', { report: spec.name, tenant: tenant.kind, kind, error: err instanceof Error ? err.message : String(err) });
      return kind === 'too_expensive'
        ? jsonError(400, 'query too large', [{ path: 'query/from', message: 'the report would read more than allowed: narrow from/to or add a filter' }])
        : jsonError(503, 'temporarily unavailable', [{ path: '/', message: 'the warehouse did not answer; retry later' }]);
    }
    const page = rows.slice(0, limit);
    const nextOffset = offset + limit;
    const next = rows.length > limit && nextOffset <= reportLimits.maxOffset ? encodeCursor(nextOffset, digest) : undefined;
    const headers: Record<string, string> = { 'cache-control': 'private, max-age=60', vary: 'authorization' };
    if (next) {
      const query = new URLSearchParams(request.query);
      query.set('cursor', next);
      headers.link = `</reports/v1/${spec.name}?${query.toString()}>; rel="next"`;
    }
    if (format === 'csv') {
      return { status: 200, headers: { ...headers, 'content-type': 'text/csv; charset=utf-8; header=present', 'content-disposition': `attachment; filename="${spec.name}.csv"` }, body: toCsv(columnsOf(spec.row), page) };
    }
    return json(200, { report: spec.name, from: filters.from, to: filters.to, rows: page, ...(next ? { next } : {}) }, headers);
  }

  const handler: HttpHandler = async (request) => {
    const decided = refusal(request);
    if ('response' in decided) return decided.response;
    const { route, tenant } = decided;
    if (route.kind === 'healthz') return healthy();
    if (route.kind === 'openapi') return { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' }, body: openApi };
    return report(request, route.spec, tenant as Tenant);
  };
  handler.admit = (head) => {
    const decided = refusal(head);
    return 'response' in decided ? refuseBody(decided.response) : admitBody(smallBodyBytes);
  };
  return handler;
}

import { reportLimits } from './report-request.ts';
import { kindsFor, reportNames, reportSpecs, type ReportSpec } from './report-specs.ts';

type Json = Record<string, unknown>;

// typebox schemas are JSON Schema with symbol keys for its own bookkeeping; a JSON copy drops them.
const plain = (schema: unknown): Json => JSON.parse(JSON.stringify(schema)) as Json;

const ErrorBody = {
  type: 'object',
  required: ['error', 'details'],
  properties: {
    error: { type: 'string' },
    details: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function parameters(spec: ReportSpec): Json[] {
  const query = (name: string, required: boolean, description: string, schema: Json) => ({ name, in: 'query', required, description, schema });
  const date = { type: 'string', format: 'date' };
  return [
    query('from', true, `First UTC day, YYYY-MM-DD${spec.dated ? '' : ' (checked, but the whole-study view has no date)'}`, date),
    query('to', true, `Last UTC day, included; at most ${reportLimits.maxSpanDays} days after from`, date),
    ...Object.keys(spec.filters).map((name) => query(name, false, `Only this ${name}; one outside the key's tenant finds no rows`, { type: 'string', minLength: 1, maxLength: 200 })),
    query('granularity', false, 'Period of the rows', { type: 'string', enum: [...spec.granularities], default: spec.granularities[0] }),
    query('format', false, 'json, or csv (RFC 4180, formula cells made inert)', { type: 'string', enum: ['json', 'csv'], default: 'json' }),
    query('limit', false, 'Rows per page', { type: 'integer', minimum: 1, maximum: reportLimits.maxPageRows, default: reportLimits.maxPageRows }),
    query('cursor', false, 'The `next` of the previous page (also the `Link: rel="next"` header)', { type: 'string' }),
  ];
}

function operation(spec: ReportSpec): Json {
  const kinds = kindsFor(spec);
  return {
    get: {
      operationId: `get${spec.name[0]?.toUpperCase()}${spec.name.slice(1)}Report`,
      summary: spec.summary,
      description: `Reads the \`${spec.view}\` view. Keys: ${kinds.join(', ')}.`,
      parameters: parameters(spec),
      responses: {
        '200': {
          description: 'One page of rows, in a stable order',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['report', 'from', 'to', 'rows'],
                properties: {
                  report: { const: spec.name },
                  from: { type: 'string', format: 'date' },
                  to: { type: 'string', format: 'date' },
                  rows: { type: 'array', items: { $ref: `#/components/schemas/${spec.name}_row` } },
                  next: { type: 'string', description: 'Cursor of the next page; absent on the last' },
                },
              },
            },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        '400': errorResponse('Invalid parameters, or a query that would read too much (narrow the window)'),
        '401': errorResponse('No key, or an unknown one'),
        ...(kinds.length < 3 ? { '403': errorResponse(`Keys of another kind than ${kinds.join(', ')}`) } : {}),
        '503': errorResponse('The warehouse did not answer; retry'),
      },
    },
  };
}

/** The OpenAPI 3.1 description of the reports API, from the same row schemas the queries select. */
export function computeOpenApiDocument(serverUrl = '/reports'): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Earshot reports',
      version: '1',
      description:
        'Delivery, reach, verification discrepancy, attribution and lift, each scoped to the tenant of the Bearer key: an advertiser sees its configured campaigns, a platform the rows it reported, an analyst everything.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths: {
      ...Object.fromEntries(reportNames.map((name) => [`/v1/${name}`, operation(reportSpecs[name])])),
      '/v1/openapi.json': { get: { operationId: 'getOpenApi', summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A platform, advertiser or analyst key of the configuration' } },
      schemas: { Error: ErrorBody, ...Object.fromEntries(reportNames.map((name) => [`${name}_row`, plain(reportSpecs[name].row)])) },
    },
  };
}

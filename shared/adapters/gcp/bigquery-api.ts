import { applicationDefaultProject, applicationDefaultToken } from './access-token.ts';
import { GoogleApi, toEmulatorUrl } from './google-api.ts';

/** BigQuery's REST API (v2) and the project it addresses, shared by the warehouse and the reports. */
export interface BigQueryApi {
  api: GoogleApi;
  /** The project, or how to find it (Application Default Credentials) on first use. */
  project: () => Promise<string>;
}

/**
 * BigQuery over REST, for the two calls the functions make (`tabledata.insertAll`,
 * `jobs.query`): the SDK took about 0.1 s to import and looked for credentials even against a
 * stand-in. `BIGQUERY_EMULATOR_HOST`, as the SDK reads it, is a base URL used verbatim (no
 * `/bigquery/v2`) and sends no token.
 */
export function createBigQueryApi(projectId: string | undefined, emulatorHost = process.env.BIGQUERY_EMULATOR_HOST): BigQueryApi {
  const api = emulatorHost
    ? new GoogleApi({ baseUrl: toEmulatorUrl(emulatorHost), token: async () => undefined })
    : new GoogleApi({ baseUrl: 'https://bigquery.googleapis.com/bigquery/v2', token: applicationDefaultToken('https://www.googleapis.com/auth/bigquery') });
  let project: Promise<string> | undefined;
  return { api, project: projectId ? async () => projectId : () => (project ??= applicationDefaultProject()) };
}

/** A path segment, escaped as the REST API's paths need it. */
export const segment = (value: string) => encodeURIComponent(value);

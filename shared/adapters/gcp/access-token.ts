import type { TokenSource } from './google-api.ts';

/**
 * Application Default Credentials (on Cloud Run: the function's service account, from the
 * metadata server), through google-auth-library, which caches the token and refreshes it before it
 * expires. The library is imported on the first call, so a function's module load never pays for it.
 */
export function applicationDefaultToken(scope: string): TokenSource {
  let client: Promise<{ getAccessToken(): Promise<string | null | undefined> }> | undefined;
  return async () => {
    client ??= import('google-auth-library').then(({ GoogleAuth }) => new GoogleAuth({ scopes: [scope] }));
    const token = await (await client).getAccessToken();
    if (!token) throw new Error('no access token from Application Default Credentials');
    return token;
  };
}

/** The project of Application Default Credentials, for a function not told its project. */
export async function applicationDefaultProject(): Promise<string> {
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth().getProjectId();
}

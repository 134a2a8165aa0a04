import type { ObjectReader } from '../../contracts/ports.ts';

const metadataToken = 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token';

/**
 * Cloud Storage object reads over the JSON API with the function's own service account token
 * from the metadata server: one GET per object, no client library for a single call. With
 * `emulatorHost` (`STORAGE_EMULATOR_HOST`, as Google's storage clients read it) the reads go
 * there, unauthenticated.
 */
export function createGcsObjectReader(fetchImpl: typeof fetch = fetch, emulatorHost = process.env.STORAGE_EMULATOR_HOST): ObjectReader {
  const base = emulatorHost ? (emulatorHost.includes('://') ? emulatorHost : `http://${emulatorHost}`).replace(/\/+$/, '') : 'https://storage.googleapis.com';
  let token: { value: string; until: number } | undefined;
  const bearer = async () => {
    if (token && token.until > Date.now() + 60_000) return token.value;
    const response = await fetchImpl(metadataToken, { headers: { 'metadata-flavor': 'Google' } });
    if (!response.ok) throw new Error(`metadata server answered ${response.status}`);
    const body = (await response.json()) as { access_token: string; expires_in: number };
    token = { value: body.access_token, until: Date.now() + body.expires_in * 1000 };
    return token.value;
  };
  return {
    async read(bucket, name, maxBytes) {
      const url = `${base}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(name)}?alt=media`;
      const headers: Record<string, string> = { 'accept-encoding': 'identity' };
      if (!emulatorHost) headers.authorization = `Bearer ${await bearer()}`;
      const response = await fetchImpl(url, { headers });
      if (!response.ok) throw new Error(`storage answered ${response.status} for gs://${bucket}/${name}`);
      const declared = Number(response.headers.get('content-length'));
      if (declared > maxBytes) throw new Error(`gs://${bucket}/${name} is over ${maxBytes} bytes`);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > maxBytes) throw new Error(`gs://${bucket}/${name} is over ${maxBytes} bytes`);
      return bytes;
    },
  };
}

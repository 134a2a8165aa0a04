import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';

/** An HTTP answer, read whole. */
export interface PostAnswer {
  status: number;
  text: string;
}

/** POSTs `body` to `url` and reads the whole answer; rejects on a network error or after `timeoutMs`. */
export type JsonPost = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<PostAnswer>;

let https: Promise<typeof import('node:https')> | undefined;

/**
 * A POST over node:http(s), which functions-framework has loaded already: the first `fetch` of a
 * process loads undici, 25-40 ms of a cold start. Node's global agents keep connections alive.
 */
export const nodeJsonPost: JsonPost = async (url, headers, body, timeoutMs) => {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? (await (https ??= import('node:https'))).request : httpRequest;
  const options: RequestOptions = { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, signal: AbortSignal.timeout(timeoutMs) };
  return new Promise<PostAnswer>((resolve, reject) => {
    const sent = request(target, options, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    sent.on('error', reject);
    sent.end(body);
  });
};

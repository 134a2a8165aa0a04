import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryRefuseAddress } from '../../../../shared/platform/net/address-policy.ts';
import { safeFetch, type Resolver } from '../../../../shared/platform/net/safe-fetch.ts';

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback address'], ['127.9.9.9', 'loopback address'], ['::1', 'loopback address'], ['0:0:0:0:0:0:0:1', 'loopback address'],
    ['::ffff:127.0.0.1', 'loopback address'], ['::ffff:7f00:1', 'loopback address'], ['::127.0.0.1', 'loopback address'], ['2002:7f00:1::', 'loopback address'],
    ['10.1.2.3', 'private address'], ['172.16.0.1', 'private address'], ['192.168.1.1', 'private address'], ['::ffff:10.0.0.1', 'private address'], ['64:ff9b::a00:1', 'private address'],
    ['fd12:3456::1', 'private address (unique local fc00::/7)'],
    ['169.254.169.254', 'link-local address (the metadata server)'], ['::ffff:169.254.169.254', 'link-local address (the metadata server)'], ['fe80::1%eth0', 'link-local address'],
    ['0.0.0.0', 'unspecified address (0.0.0.0/8)'], ['::', 'unspecified address (::)'], ['100.64.0.1', 'carrier-grade NAT address'], ['224.0.0.1', 'multicast or reserved address'],
    ['8.8.8.8', undefined], ['2606:4700::1111', undefined], ['::ffff:8.8.8.8', undefined], ['172.32.0.1', undefined],
  ])('%s: %s', (address, reason) => expect(tryRefuseAddress(address)).toBe(reason));
});

/** A resolver that answers from a table: no query ever leaves the process. */
const fakeDns = (table: Record<string, string>): Resolver => async (host) => {
  const address = table[host];
  if (!address) throw new Error(`ENOTFOUND ${host}`);
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

let server: Server;
let base = '';
let requests = 0;
// The test server is on loopback; only this test lets that one address through.
const loopbackOnly = (address: string) => (address === '127.0.0.1' ? undefined : tryRefuseAddress(address));

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/feed') {
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      return res.writeHead(200, { etag: '"v1"', 'last-modified': 'Sun, 01 Nov 2026 00:00:00 GMT', 'content-type': 'application/rss+xml' }).end('<rss/>');
    }
    if (req.url?.startsWith('/to?')) return res.writeHead(302, { location: decodeURIComponent(req.url.slice(4)) }).end();
    if (req.url === '/loop') return res.writeHead(301, { location: '/loop' }).end();
    if (req.url === '/big') return res.writeHead(200).end(Buffer.alloc(2048));
    if (req.url === '/slow') return setTimeout(() => res.writeHead(200).end('late'), 2000).unref();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('safe fetching of feed URLs', () => {
  it.each([
    ['a loopback literal', 'http://127.0.0.1/feed', /refused 127\.0\.0\.1: loopback/],
    ['decimal loopback', 'http://2130706433/feed', /refused 127\.0\.0\.1: loopback/],
    ['hex loopback', 'http://0x7f000001/feed', /refused 127\.0\.0\.1: loopback/],
    ['short hex loopback', 'http://0x7f.1/feed', /refused 127\.0\.0\.1: loopback/],
    ['octal private', 'http://012.0.0.1/feed', /refused 10\.0\.0\.1: private/],
    ['IPv6-mapped loopback', 'http://[::ffff:127.0.0.1]/feed', /refused ::ffff:7f00:1: loopback/],
    ['the metadata server', 'http://169.254.169.254/computeMetadata/v1/', /link-local/],
    ['unspecified', 'http://0.0.0.0/', /unspecified/],
    ['IPv6 unspecified', 'http://[::]/', /unspecified/],
    ['a name resolving to a private address', 'https://feeds.example/feed', /refused feeds\.example \(private address\)/],
    ['a name resolving to the metadata server', 'http://metadata.google.internal/', /refused metadata\.google\.internal \(link-local/],
    ['a file URL', 'file:///etc/passwd', /file: URLs are not fetched/],
    ['credentials', 'https://user:pw@feeds.example/', /credentials/],
  ])('refuses %s without connecting', async (_, url, reason) => {
    const before = requests;
    const result = await safeFetch(url, { resolve: fakeDns({ 'feeds.example': '10.0.0.8', 'metadata.google.internal': '169.254.169.254' }) });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
    expect(requests).toBe(before);
  });

  it('checks every redirect: a public hop may not lead inside', async () => {
    for (const target of ['http://169.254.169.254/', 'http://internal.example/', 'http://[::ffff:a00:1]/']) {
      const result = await safeFetch(`${base}/to?${encodeURIComponent(target)}`, { refuseAddress: loopbackOnly, resolve: fakeDns({ 'internal.example': '192.168.0.5' }) });
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/refused/) });
    }
  });

  it('follows a bounded number of redirects', async () => {
    expect(await safeFetch(`${base}/loop`, { refuseAddress: loopbackOnly, maxRedirects: 3 })).toEqual({ ok: false, reason: 'more than 3 redirects' });
    expect(await safeFetch(`${base}/to?${encodeURIComponent('/feed')}`, { refuseAddress: loopbackOnly })).toMatchObject({ ok: true, body: Buffer.from('<rss/>') });
  });

  it('sends If-None-Match and reports 304 as not modified, keeping the validators', async () => {
    const first = await safeFetch(`${base}/feed`, { refuseAddress: loopbackOnly });
    expect(first).toMatchObject({ ok: true, notModified: false, etag: '"v1"', lastModified: 'Sun, 01 Nov 2026 00:00:00 GMT' });
    expect(await safeFetch(`${base}/feed`, { refuseAddress: loopbackOnly, etag: '"v1"' })).toMatchObject({ ok: true, notModified: true });
  });

  it('stops at the size and time limits', async () => {
    expect(await safeFetch(`${base}/big`, { refuseAddress: loopbackOnly, maxBytes: 1000 })).toEqual({ ok: false, reason: 'the feed is over 1000 bytes' });
    expect(await safeFetch(`${base}/slow`, { refuseAddress: loopbackOnly, timeoutMs: 200 })).toMatchObject({ ok: false, reason: expect.stringMatching(/time limit|aborted/i) });
  });
});

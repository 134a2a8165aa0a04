import { describe, expect, it } from 'vitest';
import { serverBaseUrl } from '../../../cli/local/server-file.ts';
import { describeEndpoints } from '../../../cli/local/start-banner.ts';

describe('serverBaseUrl', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'http://127.0.0.1:8080'],
    ['0.0.0.0', 'http://127.0.0.1:8080'],
    ['::', 'http://127.0.0.1:8080'],
    ['127.0.0.1', 'http://127.0.0.1:8080'],
    ['::1', 'http://[::1]:8080'],
    ['fd00::5', 'http://[fd00::5]:8080'],
    ['192.168.1.4', 'http://192.168.1.4:8080'],
    ['localhost', 'http://localhost:8080'],
  ];
  for (const [host, url] of cases) {
    it(`reaches a server on ${host ?? 'an older server.json'} at ${url}`, () => {
      expect(serverBaseUrl(host === undefined ? { port: 8080 } : { host, port: 8080 })).toBe(url);
      expect(new URL(url).port).toBe('8080');
    });
  }
});

describe('the start banner', () => {
  const config = {
    platforms: [{ id: 'p1', keys: ['pk_secret_platform_key_1'] }],
    vendors: [{ id: 'v1', secrets: ['whsec_c2VjcmV0LXZlbmRvci1zZWNyZXQ='] }],
    advertisers: [{ id: 'a1', keys: ['ak_secret_advertiser_key'], lookback_days: 30, model: 'last_touch' as const }],
    analysts: [{ id: 'n1', keys: ['nk_secret_analyst_key'] }],
  };
  const secrets = ['pk_secret_platform_key_1', 'whsec_c2VjcmV0LXZlbmRvci1zZWNyZXQ=', 'ak_secret_advertiser_key', 'nk_secret_analyst_key'];

  it('shows the keys of a demo config it has just made', () => {
    const text = describeEndpoints(config, 'http://localhost:8080', true).join('\n');
    for (const secret of secrets) expect(text).toContain(secret);
  });

  it('names the endpoints of a given config but none of its secrets', () => {
    const lines = describeEndpoints(config, 'http://localhost:8080', false);
    expect(lines).toHaveLength(4);
    for (const secret of secrets) expect(lines.join('\n')).not.toContain(secret);
    expect(lines.join('\n')).toMatch(/platform p1[\s\S]*vendor v1[\s\S]*advertiser a1[\s\S]*analyst n1/);
  });
});

import { describe, expect, it } from 'vitest';
import { tryParseRequestTarget } from '../../../../shared/platform/http/request-target.ts';

describe('tryParseRequestTarget', () => {
  const cases: Record<string, { path: string; query?: string }> = {
    '/beacon/p?platform=x': { path: '/beacon/p', query: '?platform=x' },
    '/': { path: '/' },
    '//': { path: '//' },
    '//evil.example/events': { path: '//evil.example/events' },
    '/beacon//events': { path: '/beacon//events' },
    '/a%zz?%': { path: '/a%zz', query: '?%' },
  };
  for (const [target, expected] of Object.entries(cases)) {
    it(`reads ${target} as the path ${expected.path}`, () => {
      const url = tryParseRequestTarget(target);
      expect(url?.pathname).toBe(expected.path);
      expect(url?.search).toBe(expected.query ?? '');
    });
  }

  for (const target of [undefined, '', '*', 'http://example.com/beacon/p', 'beacon/p']) {
    it(`refuses ${JSON.stringify(target)}`, () => expect(tryParseRequestTarget(target)).toBeUndefined());
  }
});

import { describe, expect, it } from 'vitest';
import { tryReadWebhookHeaders, type WebhookHeaderReading, type WebhookRequestHeaders } from '../../../../shared/domain/webhooks/header-sets.ts';

const standard = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,abc' };
const svix = { 'svix-id': 'msg_1', 'svix-timestamp': '1700000000', 'svix-signature': 'v1,abc' };
const read = (set: 'webhook' | 'svix'): WebhookHeaderReading => ({ ok: true, set, id: 'msg_1', timestamp: '1700000000', signature: 'v1,abc' });

describe('tryReadWebhookHeaders: one header set per request', () => {
  const cases: Record<string, { headers: WebhookRequestHeaders; expected: WebhookHeaderReading }> = {
    'the specification’s names': { headers: standard, expected: read('webhook') },
    'the svix-* names': { headers: svix, expected: read('svix') },
    'both sets saying the same': { headers: { ...standard, ...svix }, expected: read('webhook') },
    'neither set: the specification’s names, all missing': { headers: { 'content-type': 'application/json' }, expected: { ok: true, set: 'webhook', id: undefined, timestamp: undefined, signature: undefined } },
    'svix-* names only in part': { headers: { 'svix-id': 'msg_1' }, expected: { ok: true, set: 'svix', id: 'msg_1', timestamp: undefined, signature: undefined } },
    'an empty svix-id counts as sent, and as missing': { headers: { ...svix, 'svix-id': '' }, expected: { ok: true, set: 'svix', id: undefined, timestamp: '1700000000', signature: 'v1,abc' } },
    'other svix- headers are not the set': { headers: { ...standard, 'svix-attempt': '2' }, expected: read('webhook') },
    'both sets, another id': {
      headers: { ...standard, ...svix, 'svix-id': 'msg_2' },
      expected: { ok: false, conflicts: [{ header: 'svix-id', other: 'webhook-id' }] },
    },
    'both sets, every value different': {
      headers: { ...standard, 'svix-id': 'a', 'svix-timestamp': '1', 'svix-signature': 'v1,x' },
      expected: {
        ok: false,
        conflicts: [
          { header: 'svix-id', other: 'webhook-id' },
          { header: 'svix-timestamp', other: 'webhook-timestamp' },
          { header: 'svix-signature', other: 'webhook-signature' },
        ],
      },
    },
    'a set split between the names': {
      headers: { 'webhook-id': 'msg_1', 'svix-timestamp': '1700000000', 'svix-signature': 'v1,abc' },
      expected: {
        ok: false,
        conflicts: [
          { header: 'svix-id', other: 'webhook-id' },
          { header: 'svix-timestamp', other: 'webhook-timestamp' },
          { header: 'svix-signature', other: 'webhook-signature' },
        ],
      },
    },
    'a header "undefined" against an absent one': {
      headers: { 'svix-id': 'undefined', 'webhook-timestamp': '1' },
      expected: {
        ok: false,
        conflicts: [
          { header: 'svix-id', other: 'webhook-id' },
          { header: 'svix-timestamp', other: 'webhook-timestamp' },
        ],
      },
    },
  };
  for (const [name, { headers, expected }] of Object.entries(cases)) {
    it(name, () => expect(tryReadWebhookHeaders(headers)).toEqual(expected));
  }
});
